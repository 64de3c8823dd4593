using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>
/// The real server listening on a loopback port (Kestrel, so a browser can reach it), signing
/// reviewers in through <see cref="TestIdentityProvider"/>, and one Chromium for the test class.
/// A journey that needs more around the server (an EHR, a subscriber) derives from it and starts
/// them in <see cref="StartNeighboursAsync"/>.
/// </summary>
public class ReviewQueueServer : IAsyncLifetime
{
    private SpinePolicyApp? _app;

    public TestIdentityProvider IdentityProvider { get; private set; } = null!;

    public HeadlessChromium Chromium { get; private set; } = null!;

    /// <summary>http://127.0.0.1:port (no trailing slash).</summary>
    public string BaseUrl { get; private set; } = string.Empty;

    public SpinePolicyApp App => _app ?? throw new InvalidOperationException("Not started.");

    /// <summary>Extra settings a subclass-free test class may pass (deadlines, environment-independent).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.OrdinalIgnoreCase);

    public async Task InitializeAsync()
    {
        IdentityProvider = await TestIdentityProvider.StartAsync();
        var settings = new Dictionary<string, string?>(Settings, StringComparer.OrdinalIgnoreCase)
        {
            ["ReviewQueue:Oidc:Authority"] = IdentityProvider.Issuer,
            ["ReviewQueue:Oidc:ClientId"] = TestIdentityProvider.ClientId,
            ["ReviewQueue:Oidc:RequireHttpsMetadata"] = "false",
        };
        foreach (var (key, value) in await StartNeighboursAsync())
        {
            settings[key] = value;
        }

        _app = new SpinePolicyApp(settings) { TestServices = ConfigureServices };
        _app.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app.StartServer();
        BaseUrl = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        IdentityProvider.RedirectUris.Add(BaseUrl + "/review/signin-oidc");
        Chromium = await HeadlessChromium.LaunchAsync();
        await WarmUpAsync();
    }

    /// <summary>
    /// The first sign-in challenge compiles the pages and reads the provider's metadata: that can
    /// take many seconds on a loaded machine, so it happens here, once, not inside a test's waits.
    /// </summary>
    private async Task WarmUpAsync()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromMinutes(2) };

        // The provider first (its discovery document and keys), so the server's own metadata
        // request, bounded by its 60-second back-channel timeout, finds it warm.
        using (var discovery = await client.GetAsync(new Uri(IdentityProvider.Issuer + ".well-known/openid-configuration")))
        {
            discovery.EnsureSuccessStatusCode();
        }

        using var challenge = await client.GetAsync(new Uri(BaseUrl + "/review/"));
        Assert.Equal(HttpStatusCode.Redirect, challenge.StatusCode);
        using var signInForm = await client.GetAsync(challenge.Headers.Location);
        signInForm.EnsureSuccessStatusCode();
    }

    /// <summary>
    /// Starts what the server must know the address of before it starts, and returns the settings
    /// that point it there (none for the queue alone).
    /// </summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> StartNeighboursAsync() =>
        Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>Services a derived fixture puts in place of the server's (none for the queue alone).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    public virtual async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }

        await IdentityProvider.DisposeAsync();
    }

    /// <summary>Opens /review/ in a fresh context (own cookies) and signs in at the identity provider as this user.</summary>
    public async Task<IPage> SignInAsync(string username)
    {
        var page = await Chromium.NewPageAsync();
        await page.GotoAsync(BaseUrl + "/review/");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("^" + Regex.Escape(IdentityProvider.Issuer) + "connect/authorize"));
        await page.GetByLabel("Username").FillAsync(username);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Pended requests", Level = 1 })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>A FHIR API client (system scopes) against the listening server.</summary>
    public HttpClient FhirClient()
    {
        var client = new HttpClient { BaseAddress = new Uri(BaseUrl) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.*"]));
        return client;
    }

    /// <summary>Submits a BVNA request that P6 pends (no six months of failed conservative care); returns it.</summary>
    public async Task<PasRequestBuilder> SubmitPendedAsync(string plan = "MGB-COMMERCIAL", string priority = "normal")
    {
        var policy = App.Services.GetRequiredService<Policy>();
        var catalog = App.Services.GetRequiredService<IQuestionnaireCatalog>();
        var request = new PasRequestBuilder { Plan = plan, Priority = priority }
            .Line("64628")
            .WithAnswers(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false).ToResponse(policy, catalog));
        using var client = FhirClient();
        var submitted = await PasHost.PostAsync(client, "/fhir/Claim/$submit", request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        return request;
    }

    /// <summary>What $inquire says now about a request.</summary>
    public async Task<FhirAnswer> InquireAsync(PasRequestBuilder request)
    {
        using var client = FhirClient();
        return await PasHost.PostAsync(client, "/fhir/Claim/$inquire", PriorAuthorization.Tests.SubmitRecordTests.InquiryFor(request));
    }
}
