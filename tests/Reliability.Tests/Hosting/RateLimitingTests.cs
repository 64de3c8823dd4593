using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

public sealed class RateLimitingTests
{
    private const int WindowSeconds = 60;

    private static Dictionary<string, string?> Limited(int permits) => new()
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = WindowSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>An app with these limits whose clock starts a fresh window, so no test's requests straddle two.</summary>
    private static SpinePolicyApp LimitedApp(Dictionary<string, string?> settings) => new(settings)
    {
        TestServices = services => services.AddSingleton<TimeProvider>(new FreshWindowClock(TimeSpan.FromSeconds(WindowSeconds))),
    };

    [Fact]
    public async Task Fhir_ClientOverItsBudget_Gets429WithRetryAfterAndOperationOutcome()
    {
        await using var app = LimitedApp(Limited(3));
        using var client = app.CreateFhirClient();

        for (var i = 0; i < 3; i++)
        {
            using var allowed = await client.GetAsync("/fhir/metadata");
            Assert.NotEqual(HttpStatusCode.TooManyRequests, allowed.StatusCode);
        }

        using var refused = await client.GetAsync("/fhir/metadata");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.True(refused.Headers.RetryAfter?.Delta > TimeSpan.Zero, "429 must say when to retry");
        var outcome = FhirJson.Parse<OperationOutcome>(await refused.Content.ReadAsStringAsync());
        Assert.Equal(OperationOutcome.IssueType.Throttled, outcome.Issue.Single().Code);
    }

    [Fact]
    public async Task Fhir_TwoClients_HaveSeparateBudgets()
    {
        await using var app = LimitedApp(Limited(2));
        using var busy = app.CreateClient();
        busy.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.read"], clientId: "busy-client"));
        using var quiet = app.CreateClient();
        quiet.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.MintFhirToken(["system/*.read"], clientId: "quiet-client"));

        for (var i = 0; i < 3; i++)
        {
            (await busy.GetAsync("/fhir/ClaimResponse?_count=1")).Dispose();
        }

        using var busyAgain = await busy.GetAsync("/fhir/ClaimResponse?_count=1");
        using var quietFirst = await quiet.GetAsync("/fhir/ClaimResponse?_count=1");

        Assert.Equal(HttpStatusCode.TooManyRequests, busyAgain.StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, quietFirst.StatusCode);
    }

    [Fact]
    public async Task CdsHooks_OverBudget_Gets429WithCdsError()
    {
        await using var app = LimitedApp(Limited(1));
        using var client = app.CreateClient();
        (await client.GetAsync("/cds-services")).Dispose();

        using var refused = await client.GetAsync("/cds-services");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("too-many-requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private const string OtherEhrIssuer = "https://ehr-two.test.example";

    /// <summary>Two trusted EHRs (the default one and <see cref="OtherEhrIssuer"/>), two hook calls per window each.</summary>
    private static SpinePolicyApp TwoEhrsLimitedToTwo()
    {
        var settings = Limited(2);
        settings["CdsHooks:Authentication:TrustedClients:1:Issuer"] = OtherEhrIssuer;
        settings["CdsHooks:Authentication:TrustedClients:1:Jwks"] = TestSigningKeys.PublicJwks;
        return LimitedApp(settings);
    }

    /// <summary>A hook call signed by <paramref name="issuer"/> with this sub; the body does not matter to the limiter.</summary>
    private static async Task<HttpStatusCode> HookAsync(HttpClient client, string issuer, string subject)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/order-sign-crd")
        {
            Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.MintCdsHooksToken($"{SpinePolicyApp.PublicBaseUrl}/cds-services/order-sign-crd", issuer, subject: subject));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    [Fact]
    public async Task CdsHooks_EhrMintingAFreshSubPerCall_SharesOneBudget()
    {
        await using var app = TwoEhrsLimitedToTwo();
        using var client = app.CreateClient();

        var first = await HookAsync(client, TestTokens.EhrIssuer, "clinician-1");
        var second = await HookAsync(client, TestTokens.EhrIssuer, "clinician-2");
        var third = await HookAsync(client, TestTokens.EhrIssuer, "clinician-3");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, first);
        Assert.NotEqual(HttpStatusCode.Unauthorized, first);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, second);
        Assert.Equal(HttpStatusCode.TooManyRequests, third);
    }

    [Fact]
    public async Task CdsHooks_TwoEhrs_HaveSeparateBudgets()
    {
        await using var app = TwoEhrsLimitedToTwo();
        using var client = app.CreateClient();

        await HookAsync(client, TestTokens.EhrIssuer, "clinician-1");
        await HookAsync(client, TestTokens.EhrIssuer, "clinician-1");
        var busyAgain = await HookAsync(client, TestTokens.EhrIssuer, "clinician-1");
        var otherEhr = await HookAsync(client, OtherEhrIssuer, "clinician-1");

        Assert.Equal(HttpStatusCode.TooManyRequests, busyAgain);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, otherEhr);
        Assert.NotEqual(HttpStatusCode.Unauthorized, otherEhr);
    }

    [Fact]
    public async Task HealthProbes_OverBudget_NeverLimited()
    {
        await using var app = LimitedApp(Limited(1));
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
