using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>
/// Issue 10's forged-token probe: an attacker signs an access token with its own key and names
/// where to find that key in the token's own header (jku, x5u, or the key itself as jwk). The
/// server trusts only the keys configured for the issuer, so the token is refused and the URL the
/// attacker named is never fetched (a fetch would also be a request forgery from inside the payer).
/// </summary>
public sealed class AttackerKeyHeaderTests(SqliteFhirApi api) : IClassFixture<SqliteFhirApi>, IDisposable
{
    private readonly WireMockServer _attacker = WireMockServer.Start();

    public void Dispose()
    {
        _attacker.Stop();
        _attacker.Dispose();
    }

    public static TheoryData<string> KeyHeaders => new() { "jku", "x5u", "jwk" };

    [Theory]
    [MemberData(nameof(KeyHeaders))]
    public async Task Search_TokenSignedByAttackerNamingItsOwnKeyInTheHeader_401AndNothingFetched(string header)
    {
        var attackerJwks = TestSigningKeys.BuildJwks(TestSigningKeys.Untrusted);
        _attacker.Given(Request.Create().UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(attackerJwks));
        object value = header == "jwk"
            ? JsonDocument.Parse(attackerJwks).RootElement.GetProperty("keys")[0].EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.GetString()!)
            : $"{_attacker.Url}/keys/{header}";
        using var client = api.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", SignedByAttacker(new Dictionary<string, object> { [header] = value }));

        using var response = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("error=\"invalid_token\"", response.Headers.WwwAuthenticate.Single().Parameter);
        await FhirHttp.OutcomeAsync(response);
        Assert.Empty(_attacker.LogEntries);
    }

    /// <summary>A short-lived back-office token, valid in every way except the key that signed it.</summary>
    private static string SignedByAttacker(IDictionary<string, object> headers) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.FhirIssuer,
            Audience = TestTokens.FhirAudience,
            IssuedAt = DateTime.UtcNow,
            Expires = DateTime.UtcNow.AddMinutes(4),
            Claims = new Dictionary<string, object> { ["scope"] = "system/*.*", ["client_id"] = TestClients.AdministrationClientId, ["jti"] = Guid.NewGuid().ToString("N") },
            AdditionalHeaderClaims = headers,
            SigningCredentials = new SigningCredentials(TestSigningKeys.Untrusted, SecurityAlgorithms.RsaSha384),
        });
}
