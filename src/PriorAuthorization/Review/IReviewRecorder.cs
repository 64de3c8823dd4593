using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// What the review queue records a reviewer's work through: the same checks, new ClaimResponse
/// version and notifications as the $review operation. A port rather than <see cref="ReviewService"/>
/// itself, so the service and everything its constructor takes stay internal to the slice.
/// </summary>
public interface IReviewRecorder
{
    /// <summary>Decides pended items; null when there is no such request.</summary>
    Task<Bundle?> ReviewAsync(string id, IReadOnlyList<ReviewDecision> decisions, string reviewer, string fhirBase, CancellationToken cancellationToken);

    /// <summary>Decides pended items and/or extends the decision timeframe; null when there is no such request.</summary>
    Task<Bundle?> ReviewAsync(string id, ReviewRequest review, string reviewer, string fhirBase, CancellationToken cancellationToken);
}
