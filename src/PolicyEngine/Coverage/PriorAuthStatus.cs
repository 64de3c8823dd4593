namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>Mirrors CRD's coverage-information "pa-needed" codes the policy can produce.</summary>
public enum PriorAuthStatus
{
    /// <summary>No pa-needed element is sent (e.g. not covered).</summary>
    NotApplicable,
    AuthNeeded,
    NoAuth,

    /// <summary>Whether PA is needed depends on information not yet available.</summary>
    Conditional,
}
