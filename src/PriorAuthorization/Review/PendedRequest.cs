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
    public bool IsOverdue(DateTimeOffset now) => now > DueBy;
}
