namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>
/// What a candidate policy version would change in the stored requests, for a policy committee:
/// per product line, code and change of action, how many lines and which requests. Request ids
/// (ClaimResponse ids) only: no member data.
/// </summary>
internal sealed record PolicyImpactReport(
    string From,
    string To,
    int RequestsReDecided,
    int LinesCompared,
    int LinesChanged,
    IReadOnlyList<PolicyImpactChange> Changes,
    IReadOnlyList<PolicyImpactSkip> Skipped);
