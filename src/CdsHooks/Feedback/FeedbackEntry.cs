using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.CdsHooks.Feedback;

/// <summary>One well-formed CDS Hooks feedback entry as the client sent it, before it is linked to the card we issued.</summary>
internal sealed record FeedbackEntry(
    string CardUuid,
    string Outcome,
    DateTimeOffset OutcomeTimestamp,
    IReadOnlyList<string> AcceptedSuggestions,
    FeedbackReason? OverrideReason,
    string? UserComment);
