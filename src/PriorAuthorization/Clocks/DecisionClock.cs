namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>
/// The CMS-0057-F clock of one prior-authorization request: when it was received, which timeframe
/// it runs on, when the decision is due (after any extension), and when it was decided. Stored
/// with the request (as a Task, see <see cref="DecisionClockTask"/>) so that a later change of the
/// configured timeframes never re-times a request already received.
/// </summary>
public sealed record DecisionClock(
    DateTimeOffset Received,
    RequestUrgency Urgency,
    DateTimeOffset DueBy,
    RequestKind Kind,
    string? AppealOf,
    TimeframeExtension? Extension = null,
    DateTimeOffset? DecidedAt = null,
    DateTimeOffset? WithdrawnAt = null)
{
    /// <summary>The record ids of the appeals filed against this request's denial, oldest first.</summary>
    public IReadOnlyList<string> AppealedBy { get; init; } = [];

    public DecisionClock AppealedWith(string appealRecordId) => this with { AppealedBy = [.. AppealedBy, appealRecordId] };

    /// <summary>Neither decided nor withdrawn.</summary>
    public bool IsOpen => DecidedAt is null && WithdrawnAt is null;

    /// <summary>Decided after the due time (including any extension).</summary>
    public bool DecidedLate => DecidedAt is { } decided && decided > DueBy;

    /// <summary>Still open and past the due time.</summary>
    public bool IsOverdue(DateTimeOffset now) => IsOpen && now > DueBy;

    public DecisionClock Extend(TimeframeExtension extension) => this with { Extension = extension, DueBy = DueBy + extension.By };

    public DecisionClock Decide(DateTimeOffset now) => IsOpen ? this with { DecidedAt = now } : this;

    public DecisionClock Withdraw(DateTimeOffset now) => IsOpen ? this with { WithdrawnAt = now } : this;

    /// <summary>The words a provider reads on a pended answer: when the decision is due and on which clock.</summary>
    public string DueNote()
    {
        var clock = Urgency == RequestUrgency.Urgent ? "expedited request" : "standard request";
        return $"A decision on this {(Kind == RequestKind.Appeal ? "appeal" : "request")} is due by {DueBy.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({clock}, received {Received.UtcDateTime:yyyy-MM-dd HH:mm} UTC).";
    }
}
