using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Records;

/// <summary>A stored prior-authorization request: the request Bundle as received and the current ClaimResponse.</summary>
public sealed record PasRecord(string Id, Bundle Request, ClaimResponse Response, int ResponseVersion);
