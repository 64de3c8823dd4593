using SpinePolicy.PriorAuthorization.Clocks;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>One request waiting for a clinical reviewer, as the work queue lists it.</summary>
public sealed record PendedRequest(
    string RecordId,
    string ClaimIdentifier,
    string MemberName,
    IReadOnlyList<string> PendedCodes,
    string ProductLine,
    string ProductLineDisplay,
    DateTimeOffset Received,
    RequestUrgency Urgency,
    DateTimeOffset DueBy,
    IReadOnlyList<string> Clauses)
{
    /// <summary>An initial request or an appeal of a denial.</summary>
    public RequestKind Kind { get; init; } = RequestKind.Initial;

    /// <summary>The extension of the decision timeframe, if a reviewer took one.</summary>
    public TimeframeExtension? Extension { get; init; }

    public bool IsOverdue(DateTimeOffset now) => now > DueBy;
}
