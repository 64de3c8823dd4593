namespace SpinePolicy.Storage;

/// <summary>An update named a version that is no longer current (HTTP 412 at the edge).</summary>
public sealed class VersionConflictException(string message) : Exception(message)
{
    public VersionConflictException() : this("The resource was changed by someone else.") { }
}

/// <summary>A write reused a unique key another current resource already holds.</summary>
public sealed class DuplicateKeyException(string message) : Exception(message)
{
    public DuplicateKeyException() : this("A resource with this key exists already.") { }
}

/// <summary>The database cannot be reached (HTTP 503 with Retry-After at the edge).</summary>
public sealed class StorageUnavailableException(string message, Exception? inner) : Exception(message, inner)
{
    public StorageUnavailableException() : this("The database is unavailable.", null) { }
}
