namespace SpinePolicy.Storage;

/// <summary>
/// Versioned FHIR resources with the search columns we need. Writes are durable when the returned
/// task completes; a batch is atomic (all or nothing).
/// </summary>
public interface IResourceStore
{
    /// <summary>Creates or updates every resource in one transaction. Missing ids are assigned.</summary>
    Task<IReadOnlyList<StoredResource>> SaveAsync(IReadOnlyList<ResourceWrite> writes, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes the current resource: a tombstone version is kept in the history, reads and searches
    /// no longer find it, and its unique key is free again. False when there was nothing to delete.
    /// </summary>
    Task<bool> DeleteAsync(string resourceType, string id, CancellationToken cancellationToken);

    Task<StoredResource?> ReadAsync(string resourceType, string id, CancellationToken cancellationToken);

    Task<StoredResource?> ReadVersionAsync(string resourceType, string id, int versionId, CancellationToken cancellationToken);

    /// <summary>The current resource of the type holding this unique key, if any.</summary>
    Task<StoredResource?> FindByUniqueKeyAsync(string resourceType, string uniqueKey, CancellationToken cancellationToken);

    Task<SearchPage> SearchAsync(ResourceSearch search, CancellationToken cancellationToken);
}
