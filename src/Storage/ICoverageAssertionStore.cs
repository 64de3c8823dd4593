namespace SpinePolicy.Storage;

/// <summary>CRD coverage assertions, saved by CRD and found by DTR and PAS.</summary>
public interface ICoverageAssertionStore
{
    Task SaveAsync(IReadOnlyList<CoverageAssertion> assertions, CancellationToken cancellationToken);

    Task<CoverageAssertion?> FindAsync(string assertionId, CancellationToken cancellationToken);
}
