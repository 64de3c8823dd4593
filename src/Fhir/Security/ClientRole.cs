namespace SpinePolicy.Fhir.Security;

/// <summary>
/// What a FHIR API client is to this payer, bound in configuration (FhirAuthentication:Clients)
/// to the token issuer and client id. A client without a binding may only read what is published
/// (questionnaires, value sets, libraries, code systems) and use the DTR operations.
/// </summary>
public enum ClientRole
{
    /// <summary>A provider organization (or an intermediary for it): submits, inquires, reads and subscribes for its own requests only.</summary>
    Provider,

    /// <summary>Another payer (payer-to-payer): $member-match, then the prior authorizations of the members it matched with consent.</summary>
    PayerPartner,

    /// <summary>This payer's utilization-review application: reads every request and decides pended ones ($review).</summary>
    Reviewer,

    /// <summary>This payer's own back office: maintains the member roster (Patient, Coverage) and reads every record.</summary>
    PayerAdministration,
}
