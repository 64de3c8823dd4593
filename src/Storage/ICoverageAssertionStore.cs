using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.Storage;

/// <summary>CRD coverage assertions, saved by CRD and found by DTR and PAS.</summary>
public interface ICoverageAssertionStore
{
    Task SaveAsync(IReadOnlyList<CoverageAssertion> assertions, CancellationToken cancellationToken) =>
        SaveAsync(assertions, [], cancellationToken);

    /// <summary>
    /// Saves the assertions and records the cards that spoke about them, in one transaction, so
    /// that feedback on a card can always be linked to its assertions.
    /// </summary>
    Task SaveAsync(IReadOnlyList<CoverageAssertion> assertions, IReadOnlyList<IssuedCard> cards, CancellationToken cancellationToken);

    Task<CoverageAssertion?> FindAsync(string assertionId, CancellationToken cancellationToken);
}
