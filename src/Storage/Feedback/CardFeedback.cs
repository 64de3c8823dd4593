namespace SpinePolicy.Storage.Feedback;

/// <summary>
/// One CDS Hooks feedback entry: what the clinician did with one of our cards (accepted or
/// overridden, and why), linked to the coverage assertions the card spoke about. A retry of the
/// same entry (same card, outcome and outcome time) is the same feedback, stored once.
/// </summary>
public sealed record CardFeedback
{
    /// <summary>The server's id for this entry (a retry stored once keeps the first id).</summary>
    public required string FeedbackId { get; init; }

    public required string ServiceId { get; init; }

    public required string CardUuid { get; init; }

    /// <summary>CDS Hooks: accepted | overridden.</summary>
    public required string Outcome { get; init; }

    public required DateTimeOffset OutcomeTimestamp { get; init; }

    /// <summary>The ids of the card's suggestions the user accepted (CDS Hooks acceptedSuggestions[].id).</summary>
    public IReadOnlyList<string> AcceptedSuggestions { get; init; } = [];

    public FeedbackReason? OverrideReason { get; init; }

    /// <summary>The clinician's free-text comment on an override (overrideReason.userComment).</summary>
    public string? UserComment { get; init; }

    /// <summary>The coverage-assertion-ids the card spoke about, when it was issued.</summary>
    public required IReadOnlyList<string> AssertionIds { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>An override reason as CDS Hooks codes it (a Coding: system, code, display).</summary>
public sealed record FeedbackReason(string? System, string Code, string? Display);
