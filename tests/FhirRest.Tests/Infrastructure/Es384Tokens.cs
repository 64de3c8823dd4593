using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>FHIR access tokens signed ES384 with the test P-384 key (TestTokens mints RS384 only).</summary>
public static class Es384Tokens
{
    public static string Mint(string scope, string clientId, string issuer = TestTokens.FhirIssuer) =>
        new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = TestTokens.FhirAudience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["client_id"] = clientId, ["scope"] = scope },
            SigningCredentials = new SigningCredentials(TestSigningKeys.EcP384, SecurityAlgorithms.EcdsaSha384),
        });
}
