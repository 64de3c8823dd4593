using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

/// <summary>
/// The server knows its own address from PublicBaseUrl: a caller who sends another Host header
/// cannot make a token minted for that host acceptable, nor steer the links we answer with.
/// </summary>
public sealed class PublicBaseUrlTests
{
    private static readonly Uri ForgedHost = new("http://attacker.example");

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public void Startup_OutsideDevelopmentWithoutPublicBaseUrl_StopsWithMessageNamingTheSetting(string environment)
    {
        using var app = new EnvironmentApp(environment, new Dictionary<string, string?> { ["PublicBaseUrl"] = null });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var message = (failure.InnerException ?? failure).Message;
        Assert.Contains("PublicBaseUrl is required", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Startup_ProductionWithHttpPublicBaseUrl_StopsAskingForHttps()
    {
        using var app = new EnvironmentApp("Production", new Dictionary<string, string?> { ["PublicBaseUrl"] = "http://payer.example.org" });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("https", (failure.InnerException ?? failure).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://payer.example.org")]
    [InlineData("https://payer.example.org/?x=1")]
    public void Startup_MalformedPublicBaseUrl_Stops(string value)
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["PublicBaseUrl"] = value });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("PublicBaseUrl must be", (failure.InnerException ?? failure).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProductionWithHttpsPublicBaseUrl_Serves()
    {
        await using var app = new EnvironmentApp("Production", new Dictionary<string, string?> { ["PublicBaseUrl"] = "https://payer.example.org" });

        using var response = await app.CreateClient().GetAsync("/fhir/metadata");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statement = FhirJson.Parse<CapabilityStatement>(await response.Content.ReadAsStringAsync());
        Assert.Equal("https://payer.example.org/fhir", statement.Implementation?.Url);
    }

    [Fact]
    public async Task CdsHooksToken_MintedForTheForgedHostHeader_IsRefused()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ForgedHost });

        var forHostHeader = await CallHookAsync(client, TestTokens.MintCdsHooksToken($"{ForgedHost}cds-services/order-sign-crd"));
        var forConfiguredBase = await CallHookAsync(client, TestTokens.MintCdsHooksToken($"{SpinePolicyApp.PublicBaseUrl}/cds-services/order-sign-crd"));

        Assert.Equal(HttpStatusCode.Unauthorized, forHostHeader);
        Assert.NotEqual(HttpStatusCode.Unauthorized, forConfiguredBase);
    }

    [Fact]
    public async Task FhirToken_MintedForTheForgedHostHeader_IsRefused()
    {
        // No explicit audience: the public FHIR base is the only audience accepted.
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["FhirAuthentication:Audience"] = null });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ForgedHost });

        var forHostHeader = await SearchAsync(client, TestTokens.MintFhirToken(["system/*.*"], audience: $"{ForgedHost}fhir"));
        var forConfiguredBase = await SearchAsync(client, TestTokens.MintFhirToken(["system/*.*"], audience: $"{SpinePolicyApp.PublicBaseUrl}/fhir"));

        Assert.Equal(HttpStatusCode.Unauthorized, forHostHeader);
        Assert.Equal(HttpStatusCode.OK, forConfiguredBase);
    }

    [Fact]
    public async Task Links_ForgedHostHeader_UseTheConfiguredBase()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["PublicBaseUrl"] = "https://payer.example.org" });
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = ForgedHost });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.read"]));

        using var metadata = await client.GetAsync("/fhir/metadata");
        using var questionnaires = await client.GetAsync("/fhir/Questionnaire?_id=bvna-097");
        var statement = FhirJson.Parse<CapabilityStatement>(await metadata.Content.ReadAsStringAsync());
        var bundle = FhirJson.Parse<Bundle>(await questionnaires.Content.ReadAsStringAsync());

        Assert.Equal("https://payer.example.org/fhir", statement.Implementation?.Url);
        Assert.StartsWith("https://payer.example.org/fhir/Questionnaire", bundle.SelfLink?.ToString(), StringComparison.Ordinal);
    }

    private static async Task<HttpStatusCode> CallHookAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/order-sign-crd")
        {
            // Authentication runs before the body is read: an empty hook is enough to tell 401 from the rest.
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> SearchAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Questionnaire?_id=bvna-097");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private sealed class EnvironmentApp(string environment, IDictionary<string, string?> settings) : SpinePolicyApp(settings)
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            base.ConfigureWebHost(builder);
            builder.UseEnvironment(environment);
        }
    }
}
