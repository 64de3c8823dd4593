namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>A stored request that could not be re-decided, and why (it is not counted).</summary>
internal sealed record PolicyImpactSkip(string Request, string Reason);
