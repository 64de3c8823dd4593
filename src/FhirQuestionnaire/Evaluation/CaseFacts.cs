using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// What a decision needs besides the answers: product line, age, the order under decision and its
/// siblings. <see cref="ProductLineKnown"/> is false when the response names no Coverage we can
/// read: then only the questionnaire's clinical criteria are assessed (see CaseFactsReader).
/// </summary>
public sealed record CaseFacts(
    string ProductLine,
    bool ProductLineKnown,
    int? AgeYears,
    OrderedService Order,
    IReadOnlyList<OrderedService> AllOrders,
    string? CoverageReference,
    string? OrderReference);
