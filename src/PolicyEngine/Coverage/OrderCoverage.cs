using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>CRD's answer for one governed order.</summary>
public sealed record OrderCoverage(
    OrderedService Order,
    CodeGroupDefinition CodeGroup,
    ServiceFamilyDefinition Family,
    CoverageStatus Coverage,
    PriorAuthStatus PriorAuthorization,
    bool DocumentationNeeded,
    CanonicalReference? Questionnaire,
    IReadOnlyList<PolicyFinding> Findings)
{
    /// <summary>The version of the policy in force on the date of service, which answered; null before the first.</summary>
    public Policy? DecidedUnder { get; init; }
}
