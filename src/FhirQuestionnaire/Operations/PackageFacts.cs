using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>What a $questionnaire-package request states about the member and the orders, as engine facts.</summary>
internal sealed record PackageFacts(string ProductLine, AgeFacts Age, IReadOnlyList<OrderedService> Orders)
{
    /// <summary>When the member's Coverage is in force (its status and period).</summary>
    public CoverageTerm Term { get; init; } = CoverageTerm.Open;
}
