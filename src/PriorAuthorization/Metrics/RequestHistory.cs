using SpinePolicy.PriorAuthorization.Clocks;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// One stored request as the report sees it: its clock (receipt, timeframe, due time, extension,
/// appeal links) and how and when it was decided, read from the ClaimResponse's version history.
/// </summary>
internal sealed record RequestHistory(
    string RecordId,
    string ProductLine,
    DecisionClock Clock,
    RequestOutcome Outcome,
    DateTimeOffset? DecidedAt)
{
    public bool IsDecided => Outcome is RequestOutcome.Approved or RequestOutcome.PartiallyApproved or RequestOutcome.Denied;

    public bool IsApproved => Outcome is RequestOutcome.Approved or RequestOutcome.PartiallyApproved;

    /// <summary>Decided after its due time (including any extension).</summary>
    public bool DecidedLate => DecidedAt is { } decided && decided > Clock.DueBy;

    public TimeSpan? TimeToDecision => DecidedAt - Clock.Received;
}
