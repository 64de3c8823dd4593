namespace SpinePolicy.Fhir;

/// <summary>
/// How a member's Coverage maps to the policy's product lines, and which payors are us.
/// Bound from configuration section "MemberCoverage".
/// </summary>
public sealed class MemberCoverageOptions
{
    public const string SectionName = "MemberCoverage";

    /// <summary>Identifier values (any system) or Organization references that name this payer.</summary>
    public List<string> PayorIdentifiers { get; init; } = [];

    /// <summary>Coverage.class type system and code that carry the plan value.</summary>
    public string ClassTypeSystem { get; init; } = "http://terminology.hl7.org/CodeSystem/coverage-class";

    public string ClassTypeCode { get; init; } = "plan";

    /// <summary>Plan value → policy product line code.</summary>
    public Dictionary<string, string> PlanToProductLine { get; init; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MGB-COMMERCIAL"] = "commercial",
        ["MGB-QHP"] = "qualified-health-plan",
        ["MGB-MASSHEALTH-ACO"] = "masshealth-aco",
        ["MGB-MEDICARE-ADVANTAGE"] = "medicare-advantage",
        ["MGB-ONECARE"] = "onecare",
        ["MGB-SCO"] = "senior-care-options",
    };
}
