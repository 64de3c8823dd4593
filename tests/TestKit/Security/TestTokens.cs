using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.TestKit.Security;

/// <summary>
/// Mints the bearer tokens tests send: CDS Hooks client JWTs (as an EHR signs them) and FHIR API
/// access tokens (SMART Backend Services style, issued by a trusted authorization server).
/// </summary>
public static class TestTokens
{
    /// <summary>The EHR issuer the test app trusts for CDS Hooks calls.</summary>
    public const string EhrIssuer = "https://ehr.test.example/fhir";

    /// <summary>The authorization server the test app trusts for FHIR API calls.</summary>
    public const string FhirIssuer = "https://auth.test.example";

    /// <summary>The audience FHIR API access tokens carry.</summary>
    public const string FhirAudience = "https://spinepolicy.test.example/fhir";

    /// <summary>The authorization server of other payers (payer-to-payer): every client it vouches for is a partner.</summary>
    public const string PartnerIssuer = "https://p2p-auth.test.example";

    /// <summary>The default FHIR client: bound to a provider organization (see <see cref="TestClients"/>).</summary>
    public const string DefaultFhirClientId = "test-client";

    public static string MintCdsHooksToken(
        string audience,
        string issuer = EhrIssuer,
        string? tokenId = null,
        DateTime? expires = null,
        SecurityKey? key = null,
        string algorithm = SecurityAlgorithms.RsaSha384,
        string subject = "ehr-client")
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = expires ?? now.AddMinutes(5),
            Subject = new ClaimsIdentity([new Claim("sub", subject), new Claim("jti", tokenId ?? Guid.NewGuid().ToString("N"))]),
            SigningCredentials = new SigningCredentials(key ?? TestSigningKeys.Rsa, algorithm),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }

    public static string MintFhirToken(
        IEnumerable<string> scopes,
        string clientId = DefaultFhirClientId,
        string issuer = FhirIssuer,
        string audience = FhirAudience,
        DateTime? expires = null,
        SecurityKey? key = null)
    {
        var now = DateTime.UtcNow;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = expires ?? now.AddMinutes(5),
            Subject = new ClaimsIdentity(
            [
                new Claim("sub", clientId),
                new Claim("client_id", clientId),
                new Claim("scope", string.Join(' ', scopes)),
                new Claim("jti", Guid.NewGuid().ToString("N")),
            ]),
            SigningCredentials = new SigningCredentials(key ?? TestSigningKeys.Rsa, SecurityAlgorithms.RsaSha384),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
