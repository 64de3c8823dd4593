namespace SpinePolicy.Storage.Feedback;

/// <summary>
/// CDS Hooks feedback on CRD's cards. The cards themselves are recorded with their assertions
/// (<see cref="ICoverageAssertionStore.SaveAsync(IReadOnlyList{CoverageAssertion}, IReadOnlyList{IssuedCard}, CancellationToken)"/>).
/// </summary>
public interface ICardFeedbackStore
{
    /// <summary>The card as we issued it, or null when we never issued a card with this uuid.</summary>
    Task<IssuedCard?> FindIssuedCardAsync(string cardUuid, CancellationToken cancellationToken);

    /// <summary>Stores every entry in one transaction; an entry already stored (a client's retry) is kept once. Returns how many were new.</summary>
    Task<int> SaveAsync(IReadOnlyList<CardFeedback> feedback, CancellationToken cancellationToken);

    /// <summary>One stored entry by its id (as the payer's reporting names it), or null.</summary>
    Task<CardFeedback?> FindAsync(string feedbackId, CancellationToken cancellationToken);

    Task<IReadOnlyList<CardFeedback>> SearchAsync(CardFeedbackQuery query, CancellationToken cancellationToken);

    /// <summary>How many entries the query's filters match (its paging ignored): a search's _total and _summary=count.</summary>
    Task<int> CountAsync(CardFeedbackQuery query, CancellationToken cancellationToken);
}
