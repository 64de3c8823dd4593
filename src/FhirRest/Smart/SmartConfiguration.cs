using System.Text.Json.Serialization;

namespace SpinePolicy.FhirRest.Smart;

/// <summary>The SMART App Launch 2.0 discovery document (<c>.well-known/smart-configuration</c>).</summary>
internal sealed record SmartConfiguration(
    [property: JsonPropertyName("issuer"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Issuer,
    [property: JsonPropertyName("jwks_uri"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? JwksUri,
    [property: JsonPropertyName("authorization_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? AuthorizationEndpoint,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("registration_endpoint"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? RegistrationEndpoint,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("token_endpoint_auth_signing_alg_values_supported")] IReadOnlyList<string> TokenEndpointAuthSigningAlgValuesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("code_challenge_methods_supported")] IReadOnlyList<string> CodeChallengeMethodsSupported,
    [property: JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities)
{
    /// <summary>
    /// What this server accepts, for the configured authorization server: backend services
    /// (client_credentials, private_key_jwt with RS384/ES384, system scopes) always; with an
    /// authorization endpoint also public browser apps (authorization code with S256 PKCE).
    /// </summary>
    public static SmartConfiguration For(SmartAuthorizationServerOptions server)
    {
        var browserApps = !string.IsNullOrWhiteSpace(server.AuthorizationEndpoint);
        List<string> grants = browserApps ? ["authorization_code", "client_credentials"] : ["client_credentials"];
        List<string> authMethods = browserApps ? ["private_key_jwt", "none"] : ["private_key_jwt"];
        List<string> capabilities = ["client-confidential-asymmetric", "permission-v1", "permission-v2"];
        if (browserApps)
        {
            capabilities.AddRange(["launch-standalone", "client-public"]);
        }

        return new SmartConfiguration(
            Blank(server.Issuer),
            Blank(server.JwksUri),
            Blank(server.AuthorizationEndpoint),
            server.TokenEndpoint!,
            Blank(server.RegistrationEndpoint),
            grants,
            authMethods,
            ["RS384", "ES384"],
            browserApps ? ["code"] : [],
            ["S256"],
            capabilities);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
