using System.Net;
using System.Text.Json;
using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Server;

/// <summary>A SMART client discovers where to get tokens for our /fhir from .well-known/smart-configuration.</summary>
public sealed class SmartConfigurationTests
{
    private const string Path = "/fhir/.well-known/smart-configuration";

    [Fact]
    public async Task SmartConfiguration_WithAuthorizationServer_NamesItsEndpointsAndPkce()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:AuthorizationServer:Issuer"] = "https://auth.payer.test.example",
            ["FhirAuthentication:AuthorizationServer:AuthorizationEndpoint"] = "https://auth.payer.test.example/authorize",
            ["FhirAuthentication:AuthorizationServer:TokenEndpoint"] = "https://auth.payer.test.example/token",
            ["FhirAuthentication:AuthorizationServer:JwksUri"] = "https://auth.payer.test.example/jwks",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = document.RootElement;
        Assert.Equal("https://auth.payer.test.example", root.GetProperty("issuer").GetString());
        Assert.Equal("https://auth.payer.test.example/authorize", root.GetProperty("authorization_endpoint").GetString());
        Assert.Equal("https://auth.payer.test.example/token", root.GetProperty("token_endpoint").GetString());
        Assert.Contains("S256", Strings(root, "code_challenge_methods_supported"));
        Assert.Contains("authorization_code", Strings(root, "grant_types_supported"));
        Assert.Contains("client_credentials", Strings(root, "grant_types_supported"));
        Assert.Contains("client-public", Strings(root, "capabilities"));
        Assert.Contains("client-confidential-asymmetric", Strings(root, "capabilities"));
    }

    [Fact]
    public async Task SmartConfiguration_BackendServicesOnly_OffersNoBrowserLaunch()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:AuthorizationServer:TokenEndpoint"] = "https://auth.payer.test.example/token",
        });
        using var client = app.CreateClient();

        using var document = JsonDocument.Parse(await client.GetStringAsync(Path));

        Assert.False(document.RootElement.TryGetProperty("authorization_endpoint", out _));
        Assert.DoesNotContain("client-public", Strings(document.RootElement, "capabilities"));
        Assert.Equal(["client_credentials"], Strings(document.RootElement, "grant_types_supported"));
    }

    [Fact]
    public async Task SmartConfiguration_NoAuthorizationServerConfigured_IsNotFoundWithOutcome()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateClient();

        using var response = await client.GetAsync(Path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("AuthorizationServer", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuthorizationEndpointWithoutTokenEndpoint_InConfiguration_StopsStartUp()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:AuthorizationServer:AuthorizationEndpoint"] = "https://auth.payer.test.example/authorize",
        });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("TokenEndpoint", error.ToString(), StringComparison.Ordinal);
    }

    private static List<string?> Strings(JsonElement root, string name) =>
        [.. root.GetProperty(name).EnumerateArray().Select(e => e.GetString())];
}
