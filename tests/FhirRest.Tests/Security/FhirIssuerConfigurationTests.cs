using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>How issuers are configured: remote JWKS (cached), per-issuer keys, start-up validation, Development.</summary>
public sealed class FhirIssuerConfigurationTests : IDisposable
{
    private const string RemoteIssuer = "https://remote-auth.test.example";
    private readonly WireMockServer _jwks = WireMockServer.Start();

    public FhirIssuerConfigurationTests()
    {
        // The remote issuer publishes only the P-384 key.
        _jwks.Given(Request.Create().WithPath("/jwks").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json")
                .WithBody(TestSigningKeys.BuildJwks(TestSigningKeys.EcP384)));
    }

    public void Dispose() => _jwks.Dispose();

    private SpinePolicyApp RemoteIssuerApp() => new(new Dictionary<string, string?>
    {
        ["FhirAuthentication:Issuers:1:Issuer"] = RemoteIssuer,
        ["FhirAuthentication:Issuers:1:JwksUrl"] = _jwks.Urls[0] + "/jwks",
        ["FhirAuthentication:RequireHttpsJwks"] = "false",

        // The remote issuer's client is this payer's back office (it may search the roster).
        ["FhirAuthentication:Clients:8:Issuer"] = RemoteIssuer,
        ["FhirAuthentication:Clients:8:ClientId"] = "remote-client",
        ["FhirAuthentication:Clients:8:Role"] = "PayerAdministration",
    });

    [Fact]
    public async Task RemoteJwks_TokenSignedWithPublishedKey_IsAcceptedAndJwksFetchedOnce()
    {
        await using var app = RemoteIssuerApp();
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Es384Tokens.Mint("system/Patient.read", "remote-client", RemoteIssuer));

        using var first = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));
        using var second = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(_jwks.LogEntries);
    }

    [Fact]
    public async Task RemoteIssuer_TokenSignedWithAnotherIssuersKey_IsRefused()
    {
        await using var app = RemoteIssuerApp();
        using var client = app.CreateClient();

        // The RSA key is trusted, but only for the test issuer: it cannot vouch for the remote issuer.
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.MintFhirToken(["system/*.*"], "impostor", issuer: RemoteIssuer, key: TestSigningKeys.Rsa));

        using var response = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task RemoteJwks_Unreachable_RefusesTokenWith401NotA500()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:Issuers:1:Issuer"] = RemoteIssuer,
            ["FhirAuthentication:Issuers:1:JwksUrl"] = "http://127.0.0.1:9/jwks",
            ["FhirAuthentication:RequireHttpsJwks"] = "false",
        });
        using var client = app.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            Es384Tokens.Mint("system/*.*", "remote-client", RemoteIssuer));

        using var response = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    public static TheoryData<string, string?, string?, string> BadIssuerSettings => new()
    {
        { "no keys", null, null, "exactly one of JwksUrl or Jwks" },
        { "both keys", "https://a.example/jwks", TestSigningKeys.PublicJwks, "exactly one of JwksUrl or Jwks" },
        { "http JWKS", "http://a.example/jwks", null, "https" },
        { "not a JWKS", null, "{\"keys\":[]}", "not a JWKS" },
    };

    [Theory]
    [MemberData(nameof(BadIssuerSettings))]
    public void Startup_BadIssuerSettings_StopsTheHostWithAMessage(string why, string? jwksUrl, string? jwks, string message)
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:Issuers:1:Issuer"] = "https://broken.example",
            ["FhirAuthentication:Issuers:1:JwksUrl"] = jwksUrl,
            ["FhirAuthentication:Issuers:1:Jwks"] = jwks,
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"{why}: {failure}");
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentEnvironment_WithoutExplicitSetting_ServesFhirWithoutToken()
    {
        await using var app = new DevelopmentApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));
        using var metadata = await client.GetAsync(FhirHttp.Fhir("metadata"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = await FhirHttp.ReadAsync<CapabilityStatement>(metadata);
        Assert.Contains("DISABLED", statement.Rest.Single().Security?.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ProductionDefaults_WithoutToken_Returns401()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(FhirHttp.Fhir("Patient?_count=1"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.True(app.Services.GetRequiredService<IOptions<SpinePolicy.FhirRest.Security.FhirAuthenticationOptions>>().Value.Enabled);
    }

    private sealed class DevelopmentApp : SpinePolicyApp
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment("Development");
        }
    }

    [Fact]
    public async Task MaxTokenLifetime_OperatorAllowsAnHour_HourLongTokenAcceptedTwoHourTokenRefused()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["FhirAuthentication:MaxTokenLifetime"] = "01:00:00" });
        using var client = app.CreateClient();

        using var hour = await SearchWithAsync(client, TestTokens.MintFhirToken(["system/Patient.read"], TestClients.AdministrationClientId, expires: DateTime.UtcNow.AddHours(1)));
        using var twoHours = await SearchWithAsync(client, TestTokens.MintFhirToken(["system/Patient.read"], TestClients.AdministrationClientId, expires: DateTime.UtcNow.AddHours(2)));

        Assert.Equal(HttpStatusCode.OK, hour.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, twoHours.StatusCode);
    }

    private static Task<HttpResponseMessage> SearchWithAsync(HttpClient client, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir("Patient?_count=1"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client.SendAsync(request);
    }
}
