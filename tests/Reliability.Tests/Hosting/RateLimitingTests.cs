using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

public sealed class RateLimitingTests
{
    private static Dictionary<string, string?> Limited(int permits) => new()
    {
        ["RateLimiting:Enabled"] = "true",
        ["RateLimiting:PermitLimit"] = permits.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimiting:WindowSeconds"] = "60",
    };

    [Fact]
    public async Task Fhir_ClientOverItsBudget_Gets429WithRetryAfterAndOperationOutcome()
    {
        await using var app = new SpinePolicyApp(Limited(3));
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
        await using var app = new SpinePolicyApp(Limited(2));
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
        await using var app = new SpinePolicyApp(Limited(1));
        using var client = app.CreateClient();
        (await client.GetAsync("/cds-services")).Dispose();

        using var refused = await client.GetAsync("/cds-services");

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Contains("too-many-requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HealthProbes_OverBudget_NeverLimited()
    {
        await using var app = new SpinePolicyApp(Limited(1));
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }
}
