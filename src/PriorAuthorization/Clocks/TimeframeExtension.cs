namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>
/// A reviewer extended the decision timeframe (CMS-0057-F lets a plan extend it where its rules
/// allow): by how long, why, when and by whom. A request is extended at most once.
/// </summary>
public sealed record TimeframeExtension(TimeSpan By, string Reason, DateTimeOffset GrantedAt, string GrantedBy);
