namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>One Claim.item (at <see cref="Index"/> in Claim.item) as the decision needs it.</summary>
public sealed record ClaimLine(
    int Index,
    int Sequence,
    string ServiceCode,
    bool IsCpt,
    int Units,
    DateOnly ServiceDate,
    DateOnly? ServiceEnd,
    bool Cancelled,
    string? CoverageAssertionId);
