namespace SpinePolicy.Storage;

/// <summary>Used by /readyz.</summary>
public interface IDatabaseHealth
{
    Task<bool> IsReachableAsync(CancellationToken cancellationToken);
}
