namespace SpinePolicy.CdsHooks.Options;

/// <summary>
/// Which EHRs may call the service (CDS Hooks 2.0 client authentication). Bound from
/// "CdsHooks:Authentication".
/// </summary>
internal sealed class CdsHooksAuthenticationOptions
{
    public const string SectionName = "CdsHooks:Authentication";

    /// <summary>Off only by explicit configuration (the Development profile does it, loudly).</summary>
    public bool Enabled { get; set; } = true;

    public List<TrustedClientOptions> TrustedClients { get; set; } = [];

    /// <summary>How long a JWKS fetched from a JwksUrl is trusted before it is fetched again.</summary>
    public TimeSpan JwksRefreshInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Tolerance for clock differences when checking exp, nbf and iat.</summary>
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest lifetime (exp − iat) a client JWT may be minted with. CRD asks EHRs for tokens of at
    /// most five minutes; a longer-lived token is refused whatever time is left on it.
    /// </summary>
    public TimeSpan MaxTokenLifetime { get; set; } = TimeSpan.FromMinutes(5);
}

/// <summary>One EHR: its JWT issuer and where its public keys are (a JWKS URL or the JWKS itself).</summary>
internal sealed class TrustedClientOptions
{
    public string Issuer { get; set; } = "";

    public string? JwksUrl { get; set; }

    /// <summary>An inline JWKS document (JSON).</summary>
    public string? Jwks { get; set; }

    /// <summary>
    /// The FHIR server base URLs of this EHR that we may call with the access token a hook hands us
    /// (fhirServer + fhirAuthorization). A hook naming any other fhirServer gets no fetch at all: the
    /// token goes nowhere the EHR's operator did not list. Empty: this EHR is never fetched from.
    /// </summary>
    public List<string> FhirServers { get; set; } = [];
}
