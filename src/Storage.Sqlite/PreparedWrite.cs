using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.Storage.Sqlite;

/// <summary>
/// A write with its costly parts done before it joins the single writer's queue: the id, the search
/// columns and the stored JSON, serialized for the version the write will most likely get (1 for a
/// new resource, If-Match + 1 for a conditional update). Serializing a 13 KB PAS Bundle inside the
/// writer held every other write of the process behind it; the writer now re-serializes only when
/// the resource turns out to be at another version.
/// </summary>
internal sealed record PreparedWrite(ResourceWrite Write, string Id, bool IsNew, int AssumedVersion, string Json, SearchColumns Columns, DateTimeOffset LastUpdated)
{
    public static PreparedWrite For(ResourceWrite write, DateTimeOffset lastUpdated)
    {
        var resource = write.Resource;
        var isNew = string.IsNullOrEmpty(resource.Id);
        var id = isNew ? ResourceStamp.NewId() : resource.Id!;
        var assumedVersion = (write.IfMatchVersion ?? 0) + 1;
        return new PreparedWrite(
            write,
            id,
            isNew,
            assumedVersion,
            ResourceStamp.ToStoredJson(resource, id, assumedVersion, lastUpdated),
            SearchColumnExtractor.Extract(resource),
            lastUpdated);
    }

    /// <summary>The stored JSON for the version the transaction found.</summary>
    public string JsonFor(int version) =>
        version == AssumedVersion ? Json : ResourceStamp.ToStoredJson(Write.Resource, Id, version, LastUpdated);
}
