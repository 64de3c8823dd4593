namespace SpinePolicy.PolicyEngine;

/// <summary>Whether prior authorization is needed for a service no loaded policy governs.</summary>
public enum UngovernedPriorAuthorization
{
    /// <summary>Not on the payer's prior-authorization list (CRD no-auth; PAS: no action required).</summary>
    NotRequired,

    /// <summary>Always required (CRD auth-needed; PAS: pended for a reviewer).</summary>
    Required,

    /// <summary>Decided case by case (CRD conditional; PAS: pended for a reviewer).</summary>
    Review,
}
