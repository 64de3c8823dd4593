namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>Mirrors CRD's coverage-information "covered" codes.</summary>
public enum CoverageStatus
{
    Covered,
    NotCovered,
    Conditional,
}
