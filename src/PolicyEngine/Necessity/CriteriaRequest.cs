using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// "Criteria only": a questionnaire's answers without the member's plan or the order (a DTR response
/// that names no Coverage or no order). The engine assesses the family's criteria and age limit and
/// says that coverage on the plan (P3) and the order-set rules (P2, P8) were not assessed, instead
/// of deciding for an invented plan or code.
/// </summary>
public sealed record CriteriaRequest(
    string FamilyCode,
    AgeFacts Age,
    DateRange? DateOfService,
    IReadOnlyDictionary<string, CriterionAnswer> Answers);
