namespace SpinePolicy.Storage.Feedback;

/// <summary>
/// What a payer asks of the stored feedback: on one coverage assertion and/or received in a window,
/// newest or oldest first, a page at a time (<see cref="Skip"/> rows skipped, at most <see cref="Take"/>).
/// </summary>
public sealed record CardFeedbackQuery
{
    public string? AssertionId { get; init; }

    public DateTimeOffset? ReceivedFrom { get; init; }

    public DateTimeOffset? ReceivedTo { get; init; }

    public bool NewestFirst { get; init; } = true;

    public int Skip { get; init; }

    public int Take { get; init; } = 20;
}
