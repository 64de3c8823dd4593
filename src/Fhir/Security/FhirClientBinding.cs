namespace SpinePolicy.Fhir.Security;

/// <summary>
/// One configured client (FhirAuthentication:Clients:{n}): the token issuer and client id it is
/// known by, and whom it acts for. Identifiers are written "system|value", e.g.
/// "http://hl7.org/fhir/sid/us-npi|1234567893".
/// </summary>
public sealed class FhirClientBinding
{
    /// <summary>The "iss" of the client's access tokens: one of FhirAuthentication:Issuers.</summary>
    public string Issuer { get; set; } = "";

    /// <summary>ClientId of a binding that covers every client of its issuer; allowed for <see cref="ClientRole.PayerPartner"/> only.</summary>
    public const string AnyClient = "*";

    /// <summary>The token's "client_id" (else "azp", else "sub"); "*" for every client of a payer-to-payer issuer.</summary>
    public string ClientId { get; set; } = "";

    public ClientRole? Role { get; set; }

    /// <summary>Provider: the organization's own identifier (its NPI); the key its requests are filed under.</summary>
    public string? Organization { get; set; }

    /// <summary>
    /// Provider: further identifiers it answers for (its practitioners' NPIs, a TIN, the providers an
    /// intermediary serves). PayerPartner: the identifiers that payer is known by (payer id, NPI,
    /// organization identifier); a $member-match Consent must then name one of them as its recipient.
    /// </summary>
    public List<string> Identifiers { get; set; } = [];

    /// <summary>
    /// Provider, instead of <see cref="Organization"/>: the name of the access-token claim that says
    /// which provider organization the signed-in user works for ("system|value"; a JSON array names
    /// the organization first, then the further providers it answers for). For an app many provider
    /// organizations' staff sign in to, such as the payer-hosted DTR app, where this payer's own
    /// authorization server (its provider portal) vouches for each user's organization. Such a
    /// client's user-level scopes ("user/Claim.c") count as its system scopes do.
    /// </summary>
    public string? OrganizationClaim { get; set; }
}
