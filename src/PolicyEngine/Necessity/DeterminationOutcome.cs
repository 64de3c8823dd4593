namespace SpinePolicy.PolicyEngine.Necessity;

public enum DeterminationOutcome
{
    /// <summary>Every criterion the policy states is met and no exclusion is present.</summary>
    Approved,

    /// <summary>An exclusion, a concurrency rule, an unmet threshold, an age limit or a coding error.</summary>
    Denied,

    /// <summary>Information is missing or a clinician must review (never an automatic denial).</summary>
    Pended,

    /// <summary>P3: the service is not payable for the member's product line.</summary>
    NotPayable,

    /// <summary>P3: no prior authorization is required; there is nothing to decide.</summary>
    NoAuthorizationRequired,

    /// <summary>The answers contradict the questionnaire; the caller must correct them.</summary>
    Rejected,
}
