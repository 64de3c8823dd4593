using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>
/// Access tokens from the test authorization server for the bound reviewer application (or, with
/// another client id, a caller that merely claims the reviewer role).
/// </summary>
public static class ReviewerTokens
{
    public static string Mint(string scopes = "system/ClaimResponse.write", string? roles = "utilization-reviewer", string clientId = TestClients.ReviewerClientId)
    {
        var now = DateTime.UtcNow;
        var claims = new List<Claim>
        {
            new("sub", clientId),
            new("client_id", clientId),
            new("scope", scopes),
            new("jti", Guid.NewGuid().ToString("N")),
        };
        if (roles is not null)
        {
            claims.Add(new Claim("roles", roles));
        }

        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.FhirIssuer,
            Audience = TestTokens.FhirAudience,
            IssuedAt = now,
            NotBefore = now.AddSeconds(-5),
            Expires = now.AddMinutes(5),
            Subject = new ClaimsIdentity(claims),
            SigningCredentials = new SigningCredentials(TestSigningKeys.Rsa, SecurityAlgorithms.RsaSha384),
        });
    }
}
