using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Clocks;

namespace SpinePolicy.PriorAuthorization.Records;

/// <summary>A stored prior-authorization request: the request Bundle as received, the current ClaimResponse, and its decision clock.</summary>
public sealed record PasRecord(string Id, Bundle Request, ClaimResponse Response, int ResponseVersion, DecisionClock Clock);
