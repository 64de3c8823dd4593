using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>
/// What CRD knows when an order is signed: the member's product line and age facts, every order
/// in the same request (add-on pairing and P8 concurrency look across them), and the member's other
/// requests this payer holds (P8 looks across those too), and when the member's Coverage is in force
/// (<see cref="CoverageTerm"/>; none given: open-ended).
/// </summary>
public sealed record CoverageQuery(string ProductLine, AgeFacts Age, IReadOnlyList<OrderedService> Orders, MemberHistory? History = null, CoverageTerm? Term = null);
