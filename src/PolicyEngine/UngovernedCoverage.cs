namespace SpinePolicy.PolicyEngine;

/// <summary>What CRD says about coverage of a service no loaded policy governs.</summary>
public enum UngovernedCoverage
{
    /// <summary>Depends on the member's benefits; decided on the claim (CRD conditional).</summary>
    Conditional,

    /// <summary>Covered under the member's benefits (CRD covered).</summary>
    Covered,
}
