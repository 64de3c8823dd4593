using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// Everything a medical-necessity decision rests on: the member's product line and age facts, the
/// order under decision, every order in the same request, and the answers keyed by criterion code.
/// </summary>
public sealed record NecessityRequest(
    string ProductLine,
    AgeFacts Age,
    OrderedService Order,
    IReadOnlyList<OrderedService> AllOrders,
    IReadOnlyDictionary<string, CriterionAnswer> Answers);
