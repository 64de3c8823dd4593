using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.Storage;

/// <summary>
/// Gives a resource its id and version metadata and serializes it, without changing the caller's
/// instance (the caller may still hold and reuse it).
/// </summary>
public static class ResourceStamp
{
    public const int MaxIdLength = 64;

    /// <summary>
    /// A new FHIR logical id (32 hex digits, well inside the 64-character id rule). Version 7 UUIDs
    /// start with the time, so new rows land at the end of the primary-key B-trees instead of on a
    /// random page each: in SQLite that alone took order-sign from 1,972 to 3,046 answers per
    /// second on a 100k-decision file (every request writes an AuditEvent). 74 bits stay random.
    /// </summary>
    public static string NewId() => Guid.CreateVersion7().ToString("N");

    /// <remarks>
    /// Only the resource and its Meta are copied (shallow, <see cref="FhirShallowCopy"/>), the only
    /// parts stamped: a deep copy of every resource written (a 13 KB PAS Bundle, an AuditEvent per
    /// request) allocated the whole tree again. The A/B run showed no CPU difference outside noise.
    /// </remarks>
    public static string ToStoredJson(Resource resource, string id, int versionId, DateTimeOffset lastUpdated)
    {
        var copy = FhirShallowCopy.WithOwnIdAndMeta(resource, id);
        var meta = copy.Meta!; // the copy always has a Meta of its own
        meta.VersionId = versionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        meta.LastUpdated = lastUpdated;
        return FhirJson.Serialize(copy);
    }

    /// <summary>Timestamps are kept at millisecond precision, the precision FHIR instants and page tokens carry.</summary>
    public static DateTimeOffset Truncate(DateTimeOffset instant) =>
        DateTimeOffset.FromUnixTimeMilliseconds(instant.ToUnixTimeMilliseconds());
}
