using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>What a $questionnaire-package request states about the member and the orders, as engine facts.</summary>
internal sealed record PackageFacts(string ProductLine, AgeFacts Age, IReadOnlyList<OrderedService> Orders);
