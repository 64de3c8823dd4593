using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// A search parameter a resource type answers, as the CapabilityStatement lists it. The search
/// parser refuses (or, under <c>Prefer: handling=lenient</c>, ignores) every parameter a type does
/// not list, so the statement and the behaviour cannot drift apart.
/// </summary>
public sealed record ServedSearchParameter(string Name, SearchParamType Type, string? Definition, string Documentation)
{
    private const string CoreBase = "http://hl7.org/fhir/SearchParameter/";

    public static ServedSearchParameter Id { get; } = new("_id", SearchParamType.Token, CoreBase + "Resource-id", "Logical id; a comma-separated list matches any of them.");

    public static ServedSearchParameter LastUpdated { get; } = new("_lastUpdated", SearchParamType.Date, CoreBase + "Resource-lastUpdated", "Prefixes eq, ge, gt, le, lt; repeat for a range.");

    /// <summary>A core search parameter (<c>http://hl7.org/fhir/SearchParameter/{definition}</c>).</summary>
    public static ServedSearchParameter Core(string name, SearchParamType type, string definition, string documentation) =>
        new(name, type, CoreBase + definition, documentation);
}
