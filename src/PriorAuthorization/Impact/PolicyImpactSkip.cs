namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>A stored request that could not be re-decided, and why (it is not counted).</summary>
public sealed record PolicyImpactSkip(string Request, string Reason);
