using SpinePolicy.CdsHooks.Protocol;

namespace SpinePolicy.CdsHooks.Configuration;

/// <summary>
/// The CRD 2.0.1 card types (CodeSystem http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp,
/// descendants of _cardType) this service returns. Each is a card's source.topic and a boolean
/// configuration option a client may switch off.
/// </summary>
internal static class CrdCardTypes
{
    public const string System = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp";

    /// <summary>Coverage and prior-authorization instructions.</summary>
    public static CdsCoding CoverageInformation { get; } = new(System, "coverage-info", "Coverage Information");

    /// <summary>The External Reference card linking the policy.</summary>
    public static CdsCoding Guideline { get; } = new(System, "guideline", "Guideline");

    /// <summary>An order the policy's rules flag (age, add-on without primary, concurrency, units).</summary>
    public static CdsCoding OffGuideline { get; } = new(System, "off-guideline", "Off Guideline");

    public static IReadOnlyList<CdsCoding> All { get; } = [CoverageInformation, Guideline, OffGuideline];

    /// <summary>The integer option limiting how many cards come back.</summary>
    public const string MaxCards = "max-cards";

    public const int DefaultMaxCards = 10;
}
