namespace SpinePolicy.Storage;

/// <summary>Creates or migrates the provider's schema; run once at start-up before serving.</summary>
public interface IStorageInitializer
{
    Task InitializeAsync(CancellationToken cancellationToken);
}
