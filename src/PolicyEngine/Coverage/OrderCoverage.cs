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
    IReadOnlyList<PolicyFinding> Findings);
