using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.PolicyEngine.Coverage;

namespace SpinePolicy.CdsHooks.Responses;

/// <summary>
/// A candidate with the engine's assessment (null when coverage was unavailable, or when no loaded
/// policy governs the order) and the CRD answer.
/// </summary>
/// <param name="Governed">False when the payer's default for ungoverned services answered (P2).</param>
internal sealed record AssessedOrder(OrderCandidate Candidate, OrderCoverage? Engine, CoverageAnswer Answer, bool Governed = true);
