using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>Access tokens on /fhir through the real pipeline: what is refused, with what answer.</summary>
public sealed class FhirAuthenticationTests(SqliteFhirApi api) : IClassFixture<SqliteFhirApi>
{
    private static readonly Uri PatientSearch = FhirHttp.Fhir("Patient?_count=1");

    [Fact]
    public async Task Search_NoToken_Returns401WithBearerChallengeAndOutcome()
    {
        using var client = api.App.CreateClient();

        using var response = await client.GetAsync(PatientSearch);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Null(response.Headers.WwwAuthenticate.Single().Parameter);
        var outcome = await FhirHttp.OutcomeAsync(response);
        Assert.Equal(OperationOutcome.IssueType.Login, outcome.Issue.Single().Code);
    }

    public static TheoryData<string, Func<string>> RefusedTokens => new()
    {
        { "expired", () => TestTokens.MintFhirToken(["system/*.*"], expires: DateTime.UtcNow.AddMinutes(-5)) },
        { "wrong issuer", () => TestTokens.MintFhirToken(["system/*.*"], issuer: "https://evil.example") },
        { "wrong audience", () => TestTokens.MintFhirToken(["system/*.*"], audience: "https://someone-else.example/fhir") },
        { "untrusted key with a trusted kid", () => TestTokens.MintFhirToken(["system/*.*"], key: TestSigningKeys.Untrusted) },
        { "not a JWT", () => "not-a-token" },
        { "alg none", () => Unsigned() },
        { "HMAC signed", () => HmacSigned() },
        { "no exp", () => WithoutExpiry() },
        { "minted to live an hour", () => Minted(issuedAt: DateTime.UtcNow, expires: DateTime.UtcNow.AddHours(1)) },
        { "minted to live an hour, minutes left", () => Minted(issuedAt: DateTime.UtcNow.AddMinutes(-58), expires: DateTime.UtcNow.AddMinutes(2)) },
        { "no iat, an hour left", () => Minted(issuedAt: null, expires: DateTime.UtcNow.AddHours(1)) },
        { "iat in the future", () => Minted(issuedAt: DateTime.UtcNow.AddHours(1), expires: DateTime.UtcNow.AddHours(1).AddMinutes(4)) },
        { "crit header naming an unknown extension", () => Minted(DateTime.UtcNow, DateTime.UtcNow.AddMinutes(4), new Dictionary<string, object> { ["crit"] = new[] { "urn:example:must-understand" }, ["urn:example:must-understand"] = 1 }) },
        { "crit header naming b64", () => Minted(DateTime.UtcNow, DateTime.UtcNow.AddMinutes(4), new Dictionary<string, object> { ["crit"] = new[] { "b64" }, ["b64"] = true }) },
    };

    [Theory]
    [InlineData("iat now, five minutes", 0, 5)]
    [InlineData("no iat, four minutes left", null, 4)]
    [InlineData("iat 10 s ahead of our clock (inside the skew)", 10, 5)]
    public async Task Search_ShortLivedToken_IsAccepted(string why, int? issuedSecondsFromNow, int expiresMinutesFromNow)
    {
        var now = DateTime.UtcNow;
        var token = Minted(issuedSecondsFromNow is { } s ? now.AddSeconds(s) : null, now.AddMinutes(expiresMinutesFromNow));
        using var client = api.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync(PatientSearch);

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{why}: {response.StatusCode}");
    }

    [Theory]
    [MemberData(nameof(RefusedTokens))]
    public async Task Search_RefusedToken_Returns401InvalidTokenWithoutDetail(string why, Func<string> token)
    {
        using var client = api.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token());

        using var response = await client.GetAsync(PatientSearch);

        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, why);
        var challenge = response.Headers.WwwAuthenticate.Single();
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Equal("error=\"invalid_token\"", challenge.Parameter);
        Assert.DoesNotContain("description", challenge.Parameter, StringComparison.OrdinalIgnoreCase);
        await FhirHttp.OutcomeAsync(response);
    }

    [Fact]
    public async Task Search_Es384Token_IsAccepted()
    {
        var token = Es384Tokens.Mint("system/Patient.read", TestClients.AdministrationClientId);
        using var client = api.App.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        using var response = await client.GetAsync(PatientSearch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("system/Claim.read")]
    [InlineData("system/Patient.write")]
    [InlineData("patient/Patient.read")]
    [InlineData("user/*.*")]
    [InlineData("system/Patient.rs?identifier=x")]
    public async Task Search_ScopeNotGrantingPatientSearch_Returns403Outcome(string scope)
    {
        using var client = FhirHttp.Client(api.App, TestClients.AdministrationClientId, scope);

        using var response = await client.GetAsync(PatientSearch);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var outcome = await FhirHttp.OutcomeAsync(response);
        Assert.Equal(OperationOutcome.IssueType.Forbidden, outcome.Issue.Single().Code);
    }

    [Theory]
    [InlineData("system/Patient.read")]
    [InlineData("system/Patient.*")]
    [InlineData("system/*.read")]
    [InlineData("system/*.*")]
    [InlineData("system/Patient.rs")]
    [InlineData("system/*.cruds")]
    [InlineData("system/Claim.read system/Patient.s")]
    public async Task Search_ScopeGrantingPatientSearch_Returns200(string scope)
    {
        using var client = FhirHttp.Client(api.App, TestClients.AdministrationClientId, scope.Split(' '));

        using var response = await client.GetAsync(PatientSearch);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Create_ReadOnlyScope_Returns403AndStoresNothing()
    {
        var memberId = FhirData.Unique("m");
        using var reader = FhirHttp.Client(api.App, TestClients.AdministrationClientId, "system/Patient.read");

        using var response = await reader.PostAsync(FhirHttp.Fhir("Patient"), FhirHttp.Json(FhirData.Patient("Doe", "Ann", "1970-01-01", memberId: memberId)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        using var search = await reader.GetAsync(FhirHttp.Fhir($"Patient?identifier={memberId}"));
        Assert.Empty((await FhirHttp.ReadAsync<Bundle>(search)).Entry);
    }

    [Fact]
    public async Task Metadata_NoToken_IsOpen()
    {
        using var client = api.App.CreateClient();

        using var response = await client.GetAsync(FhirHttp.Fhir("metadata"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private static string Unsigned()
    {
        var header = Base64UrlEncoder.Encode("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        var exp = DateTimeOffset.UtcNow.AddMinutes(5).ToUnixTimeSeconds();
        var payload = Base64UrlEncoder.Encode($"{{\"iss\":\"{TestTokens.FhirIssuer}\",\"aud\":\"{TestTokens.FhirAudience}\",\"exp\":{exp},\"scope\":\"system/*.*\",\"client_id\":\"x\"}}");
        return $"{header}.{payload}.";
    }

    private static string HmacSigned()
    {
        // The classic confusion attack: an HMAC token keyed with something public.
        var key = new SymmetricSecurityKey(System.Text.Encoding.UTF8.GetBytes(TestSigningKeys.PublicJwks.PadRight(64, 'x')[..64])) { KeyId = "test-rsa-1" };
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.FhirIssuer,
            Audience = TestTokens.FhirAudience,
            Expires = DateTime.UtcNow.AddMinutes(5),
            Claims = new Dictionary<string, object> { ["scope"] = "system/*.*", ["client_id"] = "x" },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha384),
        });
    }

    /// <summary>A back-office token with exactly these times (none added by the handler) and headers.</summary>
    private static string Minted(DateTime? issuedAt, DateTime expires, IDictionary<string, object>? headers = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.FhirIssuer,
            Audience = TestTokens.FhirAudience,
            IssuedAt = issuedAt,
            Expires = expires,
            Claims = new Dictionary<string, object> { ["scope"] = "system/*.*", ["client_id"] = TestClients.AdministrationClientId, ["jti"] = Guid.NewGuid().ToString("N") },
            AdditionalHeaderClaims = headers,
            SigningCredentials = new SigningCredentials(TestSigningKeys.Rsa, SecurityAlgorithms.RsaSha384),
        });

    private static string WithoutExpiry()
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = TestTokens.FhirIssuer,
            Audience = TestTokens.FhirAudience,
            Claims = new Dictionary<string, object> { ["scope"] = "system/*.*", ["client_id"] = "x" },
            SigningCredentials = new SigningCredentials(TestSigningKeys.Rsa, SecurityAlgorithms.RsaSha384),
        });
    }
}
