namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>How long the payer has to decide a prior-authorization request, bound from "Pas:DecisionDeadlines".</summary>
public sealed class DecisionDeadlineOptions
{
    public const string SectionName = "Pas:DecisionDeadlines";

    /// <summary>An expedited (urgent) request: 72 hours from receipt.</summary>
    public TimeSpan Urgent { get; set; } = TimeSpan.FromHours(72);

    /// <summary>A standard request: 7 calendar days from receipt.</summary>
    public TimeSpan Standard { get; set; } = TimeSpan.FromDays(7);

    /// <summary>
    /// The longest extension a reviewer may record (once per request, before the decision is due):
    /// 14 days, the most Medicare Advantage rules allow. Zero turns extensions off.
    /// </summary>
    public TimeSpan MaxExtension { get; set; } = TimeSpan.FromDays(14);
}
