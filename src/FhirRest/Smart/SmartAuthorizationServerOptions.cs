namespace SpinePolicy.FhirRest.Smart;

/// <summary>
/// Configuration section "FhirAuthentication:AuthorizationServer": the authorization server that
/// issues access tokens for this FHIR API, as SMART App Launch 2.0 clients discover it in
/// <c>/fhir/.well-known/smart-configuration</c>. Backend services need only the token endpoint;
/// browser apps (a DTR SMART app) also need the authorization endpoint.
/// </summary>
public sealed class SmartAuthorizationServerOptions
{
    public const string SectionName = "FhirAuthentication:AuthorizationServer";

    /// <summary>The "iss" of the tokens it issues (also one of FhirAuthentication:Issuers).</summary>
    public string? Issuer { get; set; }

    public string? TokenEndpoint { get; set; }

    /// <summary>Where browser apps send the user (authorization code with PKCE); empty for backend services only.</summary>
    public string? AuthorizationEndpoint { get; set; }

    public string? JwksUri { get; set; }

    public string? RegistrationEndpoint { get; set; }

    public bool IsConfigured => !string.IsNullOrWhiteSpace(TokenEndpoint);

    /// <summary>Null when the settings are usable, else what is wrong, named.</summary>
    public string? Problem()
    {
        if (!IsConfigured)
        {
            return string.IsNullOrWhiteSpace(AuthorizationEndpoint) ? null : $"{SectionName}:TokenEndpoint is required when AuthorizationEndpoint is set.";
        }

        foreach (var (name, value) in new[]
        {
            ("Issuer", Issuer), ("TokenEndpoint", TokenEndpoint), ("AuthorizationEndpoint", AuthorizationEndpoint),
            ("JwksUri", JwksUri), ("RegistrationEndpoint", RegistrationEndpoint),
        })
        {
            if (!string.IsNullOrWhiteSpace(value) && !(Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"))
            {
                return $"{SectionName}:{name} '{value}' is not an absolute http(s) URL.";
            }
        }

        return null;
    }
}
