using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.PolicyEngine.Coverage;

namespace SpinePolicy.CdsHooks.Responses;

/// <summary>A governed candidate with the engine's assessment (null when coverage was unavailable) and the CRD answer.</summary>
public sealed record AssessedOrder(OrderCandidate Candidate, OrderCoverage? Engine, CoverageAnswer Answer);
