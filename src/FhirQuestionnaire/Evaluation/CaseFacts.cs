using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// What a decision needs besides the answers, as the QuestionnaireResponse states it: the product
/// line (null when it names no Coverage we can read), the member's age facts, the order under
/// decision (null when it carries no order of the questionnaire's family) and its siblings. Without
/// a product line or an order only the questionnaire's criteria are assessed (<see cref="CriteriaOnly"/>).
/// </summary>
internal sealed record CaseFacts(
    string? ProductLine,
    AgeFacts Age,
    OrderedService? Order,
    IReadOnlyList<OrderedService> AllOrders,
    string? CoverageReference,
    string? OrderReference,
    DateRange DateOfService)
{
    public bool CriteriaOnly => ProductLine is null || Order is null;

    /// <summary>When the contained Coverage is in force (its status and period); open when none is contained.</summary>
    public CoverageTerm Term { get; init; } = CoverageTerm.Open;
}
