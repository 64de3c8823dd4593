namespace SpinePolicy.PolicyEngine;

/// <summary>
/// One reason behind a decision, naming the policy clause it rests on, so that cards,
/// ClaimResponse notes and tests can all cite it.
/// </summary>
public sealed record PolicyFinding(FindingKind Kind, string Clause, string Message, string? CriterionCode = null);
