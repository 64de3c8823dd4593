namespace SpinePolicy.Fhir.CoverageInformation;

/// <summary>
/// coverage-assertion-id: how CRD's and DTR's assertions are named, and the one identifier system
/// under which every other resource refers to them (a ClaimResponse's meta.tag, the Basic resource
/// that exposes a stored assertion, an AuditEvent's entity).
/// </summary>
public static class CoverageAssertionIds
{
    public const string System = "https://spinepolicy.example.org/fhir/sid/coverage-assertion-id";

    /// <summary>Time-ordered (UUID v7), like resource ids: the assertion table's key grows at its end.</summary>
    public static string New() => Guid.CreateVersion7().ToString();
}
