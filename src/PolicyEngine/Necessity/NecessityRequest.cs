using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// Everything a medical-necessity decision rests on: the member's product line and age facts, the
/// order under decision, every order in the same request, the answers keyed by criterion code, and
/// the member's other requests this payer holds (P7.16, P8), and when the member's Coverage is in
/// force (<see cref="CoverageTerm"/>; none given: open-ended).
/// </summary>
public sealed record NecessityRequest(
    string ProductLine,
    AgeFacts Age,
    OrderedService Order,
    IReadOnlyList<OrderedService> AllOrders,
    IReadOnlyDictionary<string, CriterionAnswer> Answers,
    MemberHistory? History = null,
    CoverageTerm? Term = null);
