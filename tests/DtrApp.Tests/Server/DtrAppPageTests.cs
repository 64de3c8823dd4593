using System.Net;
using System.Text.RegularExpressions;
using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Server;

/// <summary>The app's pages and files as the server sends them: the strict policy, the settings, the bundle.</summary>
public sealed partial class DtrAppPageTests(DtrAppPageFixture fixture) : IClassFixture<DtrAppPageFixture>
{
    [Theory]
    [InlineData("/dtr/")]
    [InlineData("/dtr/launch")]
    public async Task Page_Served_HasOwnStrictPolicyAndNoInlineScript(string path)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync(path);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://ehr.test.example", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);

        // Every script element either loads a file from this server or is a JSON data block.
        foreach (Match script in ScriptTag().Matches(html))
        {
            var tag = script.Value;
            Assert.True(tag.Contains("src=\"/dtr/assets/", StringComparison.Ordinal) || tag.Contains("type=\"application/json\"", StringComparison.Ordinal), tag);
        }

        Assert.Contains("\"clientId\":\"dtr-test-client\"", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/dtr/assets/app.js", "text/javascript")]
    [InlineData("/dtr/assets/launch.js", "text/javascript")]
    [InlineData("/dtr/assets/style.css", "text/css")]
    public async Task Asset_Requested_IsServedWithItsType(string path, string mediaType)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(mediaType, response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(response.Headers.ETag);
    }

    [Theory]
    [InlineData("/dtr/assets/../../appsettings.json")]
    [InlineData("/dtr/assets/%2e%2e/%2e%2e/appsettings.json")]
    [InlineData("/dtr/assets/nothing-here.js")]
    public async Task Asset_OutsideTheBundle_IsNotFound(string path)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task EhrOutsideTheAllowList_InConfiguration_IsNamedInThePageSettings()
    {
        using var client = fixture.App.CreateClient();

        var html = await client.GetStringAsync("/dtr/launch");

        Assert.Contains("\"allowedIssuers\":[\"https://ehr.test.example/fhir\"]", html, StringComparison.Ordinal);
    }

    /// <summary>
    /// fhirclient takes iss, fhirServiceUrl and clientId from the page's address over what the
    /// launch script passes it, so a launch address naming an EHR off the allow-list (or another
    /// client id) is refused by the server, before any script could start an authorization there.
    /// The same host on another path is refused too: connect-src, which allows origins, cannot.
    /// </summary>
    [Theory]
    [InlineData("iss=https%3A%2F%2Fevil.test.example%2Ffhir&launch=abc")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ftenant-of-the-attacker&launch=abc")]
    [InlineData("fhirServiceUrl=https%3A%2F%2Fevil.test.example%2Ffhir")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir&fhirServiceUrl=https%3A%2F%2Fevil.test.example%2Ffhir")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir&iss=https%3A%2F%2Fevil.test.example%2Ffhir")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir&clientId=attackers-app")]
    public async Task Launch_AddressNamingAnUntrustedIssuerOrClient_RefusedWithoutScript(string query)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync("/dtr/launch?" + query);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("will not sign in", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("script-src 'self';", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir&launch=abc")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir%2F&launch=abc")]
    [InlineData("iss=https%3A%2F%2Fehr.test.example%2Ffhir&clientId=dtr-test-client")]
    [InlineData("")]
    public async Task Launch_FromAnAllowedIssuerOrStandalone_ServesTheLaunchScript(string query)
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync("/dtr/launch?" + query);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("src=\"/dtr/assets/launch.js\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_HostileIssuerText_IsShownEncoded()
    {
        using var client = fixture.App.CreateClient();

        using var response = await client.GetAsync("/dtr/launch?iss=" + Uri.EscapeDataString("https://x.example/\"><script>alert(1)</script>"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Page_FhirApiWithoutAnAuthorizationServer_AsksForNoPayerSignIn()
    {
        using var client = fixture.App.CreateClient();

        var html = await client.GetStringAsync("/dtr/");

        Assert.Contains("\"payerSignIn\":false", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public async Task Page_AuthorizationServerNamed_SignsThePayerInWhereTheApiNeedsTokensAndMayCallItsTokenEndpoint(string fhirAuthentication, bool signIn)
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["DtrApp:AllowedIssuers:0"] = "https://ehr.test.example/fhir",
            ["DtrApp:PayerClientId"] = "portal-dtr",
            ["FhirAuthentication:Enabled"] = fhirAuthentication,
            ["FhirAuthentication:AuthorizationServer:AuthorizationEndpoint"] = "https://portal.payer.example/authorize",
            ["FhirAuthentication:AuthorizationServer:TokenEndpoint"] = "https://tokens.payer.example/token",
        });
        using var client = app.CreateClient();

        using var response = await client.GetAsync("/dtr/");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Contains($"\"payerSignIn\":{(signIn ? "true" : "false")}", html, StringComparison.Ordinal);
        Assert.Contains("\"payerClientId\":\"portal-dtr\"", html, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self' https://ehr.test.example https://tokens.payer.example;", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [GeneratedRegex("<script[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex ScriptTag();
}

public sealed class DtrAppPageFixture : IAsyncLifetime
{
    public SpinePolicyApp App { get; } = new(new Dictionary<string, string?>
    {
        ["DtrApp:ClientId"] = "dtr-test-client",
        ["DtrApp:AllowedIssuers:0"] = "https://ehr.test.example/fhir",
    });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}
