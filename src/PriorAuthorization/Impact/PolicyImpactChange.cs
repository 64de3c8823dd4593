namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>Lines of one product line and code whose action a candidate version would change.</summary>
/// <param name="From">The X12 action under the current version (A1, A3, A4, NA).</param>
/// <param name="To">The X12 action under the candidate.</param>
internal sealed record PolicyImpactChange(string ProductLine, string Code, string From, string To, int Count, IReadOnlyList<string> Requests);
