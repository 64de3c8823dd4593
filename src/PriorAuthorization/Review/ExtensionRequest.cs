namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>A reviewer's request to extend the decision timeframe by some calendar days, and why.</summary>
public sealed record ExtensionRequest(int Days, string Reason);
