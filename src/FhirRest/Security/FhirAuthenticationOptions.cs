using SpinePolicy.Fhir.Security;

namespace SpinePolicy.FhirRest.Security;

/// <summary>
/// Who may call the FHIR API: the authorization servers whose access tokens we accept. Bound from
/// "FhirAuthentication" and validated at start-up.
/// </summary>
internal sealed class FhirAuthenticationOptions
{
    public const string SectionName = "FhirAuthentication";

    /// <summary>Off only by deliberate configuration (the Development environment), with a warning at start-up.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The "aud" every access token must carry, when the authorization server names this server by
    /// something other than its public FHIR base (PublicBaseUrl + "/fhir", the default).
    /// </summary>
    public string? Audience { get; set; }

    public List<FhirTokenIssuerOptions> Issuers { get; set; } = [];

    /// <summary>
    /// Whom each client acts for (a provider organization, another payer, the reviewer application,
    /// the back office), by issuer and client id. A client without a binding reads only what is
    /// published and uses the DTR operations.
    /// </summary>
    public List<FhirClientBinding> Clients { get; set; } = [];

    /// <summary>Refuse plain-http JWKS URLs (tests against a local WireMock turn this off).</summary>
    public bool RequireHttpsJwks { get; set; } = true;

    /// <summary>Allowed clock difference between us and the authorization server.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest accepted access-token lifetime (SMART Backend Services recommends five minutes).</summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One trusted authorization server: its issuer and where its public keys are.</summary>
internal sealed class FhirTokenIssuerOptions
{
    public string Issuer { get; set; } = "";

    /// <summary>URL of the JWKS, fetched and cached (refreshed when an unknown key id appears).</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Inline JWKS JSON, for deployments that pin keys.</summary>
    public string? Jwks { get; set; }
}
