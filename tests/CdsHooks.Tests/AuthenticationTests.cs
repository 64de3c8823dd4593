using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Ehr;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>CDS Hooks 2.0 client authentication: only a fresh JWT from a trusted EHR, for exactly this service, gets in.</summary>
public sealed class AuthenticationTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string Service = "order-sign-crd";

    private static JsonObject GovernedRequest() => new HookRequestBuilder("order-sign")
        .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
        .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
        .Build();

    private static string Mint(
        string? algorithm = null,
        SecurityKey? key = null,
        string? audience = null,
        string? issuer = null,
        DateTime? expires = null,
        bool withExpiry = true,
        bool withJti = true,
        bool signed = true,
        DateTime? issuedAt = null,
        bool withIssuedAt = true,
        object? rawIssuedAt = null,
        IDictionary<string, object>? headers = null,
        string? jti = null)
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = "ehr-client" };
        if (withJti)
        {
            claims["jti"] = jti ?? Guid.NewGuid().ToString("N");
        }

        if (rawIssuedAt is not null)
        {
            claims["iat"] = rawIssuedAt;
        }

        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer ?? TestTokens.EhrIssuer,
            Audience = audience ?? CrdApp.ServiceUrl(Service),
            IssuedAt = withIssuedAt && rawIssuedAt is null ? issuedAt ?? now : null,
            NotBefore = now.AddSeconds(-5),
            Expires = withExpiry ? expires ?? now.AddMinutes(5) : null,
            Claims = claims,
            AdditionalHeaderClaims = headers,
            SigningCredentials = signed ? new SigningCredentials(key ?? TestSigningKeys.Rsa, algorithm ?? SecurityAlgorithms.RsaSha384) : null,
        };
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(descriptor);
    }

    private async Task AssertRefusedAsync(string? token)
    {
        var call = await app.CallAsync(Service, GovernedRequest(), token);

        Assert.Equal(HttpStatusCode.Unauthorized, call.Status);
        Assert.Equal("unauthorized", call.Error);
        Assert.Equal(RefusalMessage, call.Message);
        var challenge = string.Join(",", call.Headers.WwwAuthenticate.Select(h => h.ToString()));
        Assert.StartsWith("Bearer", challenge, StringComparison.Ordinal);
        Assert.DoesNotContain("error_description", challenge, StringComparison.Ordinal);
    }

    /// <summary>The same for every refusal: the answer never says which check failed.</summary>
    private const string RefusalMessage = "A valid CDS Hooks client JWT from a trusted EHR, for this service, is required.";

    [Fact]
    public async Task Call_RsaSignedTokenForThisService_IsAnswered()
    {
        var call = await app.CallAsync(Service, GovernedRequest(), Mint());

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public async Task Call_Es384SignedToken_IsAnswered()
    {
        var call = await app.CallAsync(Service, GovernedRequest(), Mint(SecurityAlgorithms.EcdsaSha384, TestSigningKeys.EcP384));

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public Task Call_NoToken_Is401() => AssertRefusedAsync(null);

    [Fact]
    public Task Call_ExpiredToken_Is401() => AssertRefusedAsync(Mint(expires: DateTime.UtcNow.AddMinutes(-2)));

    [Fact]
    public Task Call_TokenWithoutExp_Is401() => AssertRefusedAsync(Mint(withExpiry: false));

    [Fact]
    public Task Call_TokenWithoutJti_Is401() => AssertRefusedAsync(Mint(withJti: false));

    [Fact]
    public Task Call_TokenForAnotherService_Is401() => AssertRefusedAsync(Mint(audience: CrdApp.ServiceUrl("order-select-crd")));

    [Fact]
    public Task Call_TokenForAnotherHost_Is401() => AssertRefusedAsync(Mint(audience: "https://elsewhere.example/cds-services/order-sign-crd"));

    [Fact]
    public Task Call_UntrustedIssuer_Is401() => AssertRefusedAsync(Mint(issuer: "https://rogue-ehr.example"));

    [Fact]
    public Task Call_SignedByUntrustedKeyWithTrustedKid_Is401() => AssertRefusedAsync(Mint(key: TestSigningKeys.Untrusted));

    [Fact]
    public Task Call_AlgNone_Is401() => AssertRefusedAsync(Mint(signed: false));

    [Fact]
    public Task Call_Hs256WithAnyKey_Is401() =>
        AssertRefusedAsync(Mint(SecurityAlgorithms.HmacSha256, new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(32)) { KeyId = "test-rsa-1" }));

    [Fact]
    public Task Call_Rs256_IsNotAnAcceptedAlgorithm_401() => AssertRefusedAsync(Mint(SecurityAlgorithms.RsaSha256));

    [Fact]
    public Task Call_TokenMintedToLiveTenMinutes_Is401() =>
        AssertRefusedAsync(Mint(expires: DateTime.UtcNow.AddMinutes(10)));

    [Fact]
    public Task Call_LongLivedTokenIssuedLongAgo_Is401EvenWithMinutesLeft() =>
        AssertRefusedAsync(Mint(issuedAt: DateTime.UtcNow.AddHours(-1), expires: DateTime.UtcNow.AddMinutes(2)));

    [Fact]
    public Task Call_TokenWithoutIat_Is401() => AssertRefusedAsync(Mint(withIssuedAt: false, expires: DateTime.UtcNow.AddMinutes(2)));

    [Fact]
    public Task Call_TokenWithTextIat_Is401() => AssertRefusedAsync(Mint(rawIssuedAt: "yesterday", expires: DateTime.UtcNow.AddMinutes(2)));

    [Fact]
    public Task Call_TokenIssuedInTheFutureBeyondClockSkew_Is401() =>
        AssertRefusedAsync(Mint(issuedAt: DateTime.UtcNow.AddMinutes(2), expires: DateTime.UtcNow.AddMinutes(4)));

    [Fact]
    public async Task Call_TokenIssuedInTheFutureWithinClockSkew_IsAnswered()
    {
        // The EHR's clock runs 10 s ahead of ours: inside the 30 s skew.
        var call = await app.CallAsync(Service, GovernedRequest(), Mint(issuedAt: DateTime.UtcNow.AddSeconds(10), expires: DateTime.UtcNow.AddMinutes(5)));

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public Task Call_CritHeaderNamingAnUnknownExtension_Is401() =>
        AssertRefusedAsync(Mint(headers: new Dictionary<string, object> { ["crit"] = new[] { "https://ehr.test.example/must-understand" }, ["https://ehr.test.example/must-understand"] = true }));

    [Fact]
    public Task Call_CritHeaderNamingB64_Is401() =>
        AssertRefusedAsync(Mint(headers: new Dictionary<string, object> { ["crit"] = new[] { "b64" }, ["b64"] = false }));

    [Fact]
    public Task Call_EmptyCritHeader_Is401() =>
        AssertRefusedAsync(Mint(headers: new Dictionary<string, object> { ["crit"] = Array.Empty<string>() }));

    /// <summary>
    /// Issue 10's forged-token probe: the attacker signs with its own key and names that key in the
    /// header (CDS Hooks allows a jku, but only the JWKS configured for the issuer is trusted). Refused,
    /// and the attacker's URL is never fetched.
    /// </summary>
    [Theory]
    [InlineData("jku")]
    [InlineData("x5u")]
    [InlineData("jwk")]
    public async Task Call_SignedByAttackerNamingItsOwnKeyInTheHeader_401AndNothingFetched(string header)
    {
        using var attacker = WireMock.Server.WireMockServer.Start();
        var attackerJwks = TestSigningKeys.BuildJwks(TestSigningKeys.Untrusted);
        attacker.Given(WireMock.RequestBuilders.Request.Create().UsingGet())
            .RespondWith(WireMock.ResponseBuilders.Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(attackerJwks));
        object value = header == "jwk"
            ? System.Text.Json.JsonDocument.Parse(attackerJwks).RootElement.GetProperty("keys")[0].EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.GetString()!)
            : $"{attacker.Url}/keys/{header}";

        await AssertRefusedAsync(Mint(key: TestSigningKeys.Untrusted, headers: new Dictionary<string, object> { [header] = value }));

        Assert.Empty(attacker.LogEntries);
        attacker.Stop();
    }

    [Fact]
    public async Task Call_TenMinuteTokenWhereTheOperatorAllowsFifteen_IsAnswered()
    {
        using var lenientApp = CrdApp.With(new Dictionary<string, string?> { ["CdsHooks:Authentication:MaxTokenLifetime"] = "00:15:00" });

        var call = await lenientApp.CallAsync(Service, GovernedRequest(), Mint(expires: DateTime.UtcNow.AddMinutes(10)));

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public async Task Call_ReplayedJti_SecondUseIs401()
    {
        var token = Mint();

        var first = await app.CallAsync(Service, GovernedRequest(), token);
        var second = await app.CallAsync(Service, GovernedRequest(), token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
    }

    /// <summary>
    /// A jti the replay cache cannot hold as written: longer than 255 characters (PostgreSQL's index
    /// on it takes at most about 2.7 KB, and a longer one was answered 503 "database unavailable",
    /// inviting the EHR to retry the same token) or holding a control character (a NUL was a 400 on
    /// PostgreSQL and accepted on SQLite). Refused like every other bad token, on every store.
    /// </summary>
    [Theory]
    [InlineData(256, false)]
    [InlineData(4000, false)]
    [InlineData(36, true)]
    public async Task Call_JtiTooLongOrWithAControlCharacter_Is401(int length, bool control)
    {
        var jti = Guid.NewGuid().ToString("N");
        jti = string.Concat(Enumerable.Repeat(jti, (length / jti.Length) + 1))[..length];
        if (control)
        {
            jti = jti[..10] + "\u0000" + jti[11..];
        }

        await AssertRefusedAsync(Mint(jti: jti));
    }

    [Fact]
    public async Task Call_JtiOf255Characters_IsAnswered()
    {
        var call = await app.CallAsync(Service, GovernedRequest(), Mint(jti: string.Concat(Enumerable.Repeat(Guid.NewGuid().ToString("N"), 8))[..255]));

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public async Task Call_ExpiredTokenReplayedInsideTheClockSkew_SecondUseIs401()
    {
        // Expired 3 s ago (after its nbf): still accepted once within the 30 s skew, never a second time.
        var token = Mint(expires: DateTime.UtcNow.AddSeconds(-3));

        var first = await app.CallAsync(Service, GovernedRequest(), token);
        var second = await app.CallAsync(Service, GovernedRequest(), token);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
    }

    [Fact]
    public async Task Discovery_NeedsNoToken()
    {
        using var response = await app.Client.GetAsync("/cds-services");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Call_IssuerWithJwksUrl_KeysFetchedOnceAndCached()
    {
        const string issuer = "https://ehr-two.test.example";
        using var ehr = new FakeEhr().ServeJwks(TestSigningKeys.BuildJwks(TestSigningKeys.EcP384));
        using var jwksApp = CrdApp.With(new Dictionary<string, string?>
        {
            ["CdsHooks:Authentication:TrustedClients:1:Issuer"] = issuer,
            ["CdsHooks:Authentication:TrustedClients:1:JwksUrl"] = ehr.JwksUrl,
        });

        var first = await jwksApp.CallAsync(Service, GovernedRequest(), Mint(SecurityAlgorithms.EcdsaSha384, TestSigningKeys.EcP384, issuer: issuer));
        var second = await jwksApp.CallAsync(Service, GovernedRequest(), Mint(SecurityAlgorithms.EcdsaSha384, TestSigningKeys.EcP384, issuer: issuer));
        var jwksFetches = ehr.RequestedPaths.Count(p => p == FakeEhr.JwksPath);
        var rsaNotInThatJwks = await jwksApp.CallAsync(Service, GovernedRequest(), Mint(issuer: issuer));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, rsaNotInThatJwks.Status);
        Assert.Equal(1, jwksFetches);
    }

    [Fact]
    public async Task Call_KeyOfOneTrustedEhrSigningAsAnother_Is401()
    {
        // The EC key belongs to issuer two only; issuer one's JWKS (inline) is replaced by RSA only.
        const string issuer = "https://ehr-two.test.example";
        using var keysApp = CrdApp.With(new Dictionary<string, string?>
        {
            ["CdsHooks:Authentication:TrustedClients:0:Jwks"] = TestSigningKeys.BuildJwks(TestSigningKeys.Rsa),
            ["CdsHooks:Authentication:TrustedClients:1:Issuer"] = issuer,
            ["CdsHooks:Authentication:TrustedClients:1:Jwks"] = TestSigningKeys.BuildJwks(TestSigningKeys.EcP384),
        });

        var forged = await keysApp.CallAsync(Service, GovernedRequest(), Mint(SecurityAlgorithms.EcdsaSha384, TestSigningKeys.EcP384, issuer: TestTokens.EhrIssuer));
        var genuine = await keysApp.CallAsync(Service, GovernedRequest(), Mint(SecurityAlgorithms.EcdsaSha384, TestSigningKeys.EcP384, issuer: issuer));

        Assert.Equal(HttpStatusCode.Unauthorized, forged.Status);
        Assert.Equal(HttpStatusCode.OK, genuine.Status);
    }

    [Fact]
    public async Task Call_AuthenticationExplicitlyDisabled_AnswersWithoutToken()
    {
        using var openApp = CrdApp.With(new Dictionary<string, string?> { ["CdsHooks:Authentication:Enabled"] = "false" });

        var call = await openApp.CallAsync(Service, GovernedRequest(), token: null);

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }
}
