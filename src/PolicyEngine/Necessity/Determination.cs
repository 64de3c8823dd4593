namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>A decision with its reasons, each naming its clause, and what is still unanswered.</summary>
public sealed record Determination(
    DeterminationOutcome Outcome,
    IReadOnlyList<PolicyFinding> Reasons,
    IReadOnlyList<string> MissingCriteria,
    string PolicyVersion)
{
    /// <summary>The version of the policy in force on the date of service, which decided; null before the first.</summary>
    public Policy? DecidedUnder { get; init; }

    /// <summary>True when the outcome no longer depends on any unanswered question.</summary>
    public bool IsFinal => Outcome is not DeterminationOutcome.Pended || MissingCriteria.Count == 0;
}
