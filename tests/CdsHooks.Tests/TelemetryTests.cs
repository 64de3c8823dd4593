using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Telemetry;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// With OpenTelemetry configured, a hook call gives a span naming the decision and the policy version,
/// a latency sample and one decision per order, and nothing that identifies the member.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();
    private readonly SpinePolicyApp _app;
    private readonly WebApplicationFactory<Program> _server;

    public TelemetryTests()
    {
        var settings = new Dictionary<string, string?>(_telemetry.Settings)
        {
            ["MemberCoverage:PayorIdentifiers:0"] = CrdTestData.OurPayor,
        };
        _app = new SpinePolicyApp(settings);
        _server = _app.WithWebHostBuilder(builder => builder.ConfigureTestServices(_telemetry.AddTo));
    }

    public void Dispose()
    {
        _server.Dispose();
        _app.Dispose();
        _telemetry.Dispose();
    }

    /// <summary>An order a week from today: not on the same day as an undated (today's) BVNA (P8).</summary>
    private static Hl7.Fhir.Model.ServiceRequest NextWeek(Hl7.Fhir.Model.ServiceRequest order)
    {
        order.Occurrence = new Hl7.Fhir.Model.FhirDateTime(DateTime.UtcNow.Date.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return order;
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_TelemetryOn_SpanCarriesDecisionAndPolicyVersionWithoutPatientData()
    {
        var body = new HookRequestBuilder("order-sign", patientId: "pat-otel-77")
            .DraftOrders(CrdTestData.Order("64628", "sr-otel-1", patientId: "pat-otel-77"), NextWeek(CrdTestData.Order("62325", "sr-otel-2", patientId: "pat-otel-77")))
            .Member(CrdTestData.Patient(40, "pat-otel-77"), CrdTestData.Coverage("MGB-COMMERCIAL", "cov-otel-9", patientId: "pat-otel-77"))
            .Build();

        var call = await CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var policyVersion = _server.Services.GetRequiredService<PolicyEngine.Policy>().Version;
        var hook = await _telemetry.WaitForSpanAsync("CRD order-sign-crd");
        Assert.Equal("order-sign-crd", hook.GetTagItem("spinepolicy.hook"));
        Assert.Equal("auth-needed,no-auth", hook.GetTagItem("spinepolicy.decision"));
        Assert.Equal(policyVersion, hook.GetTagItem("spinepolicy.policy.version"));
        Assert.Equal(2, hook.GetTagItem("spinepolicy.items"));

        // The framework's request span is the hook span's parent and names the route, not the call.
        var request = await _telemetry.WaitForSpanAsync("POST /cds-services/{id}");
        Assert.Equal(request.SpanId, hook.ParentSpanId);
        Assert.Equal("/cds-services/{id}", request.GetTagItem("url.path"));

        var metrics = _telemetry.CollectMetrics(_server.Services);
        var decisions = metrics.Single(m => m.Name == "spinepolicy.decisions").MetricPoints;
        var bvna = Assert.Single(decisions, p => p.Tag("spinepolicy.cpt_code") == "64628");
        Assert.Equal("crd", bvna.Tag("spinepolicy.stage"));
        Assert.Equal("auth-needed", bvna.Tag("spinepolicy.decision"));
        Assert.Equal("commercial", bvna.Tag("spinepolicy.product_line"));
        Assert.Equal(1, bvna.GetSumLong());
        Assert.Equal("no-auth", Assert.Single(decisions, p => p.Tag("spinepolicy.cpt_code") == "62325").Tag("spinepolicy.decision"));
        var latency = Assert.Single(metrics.Single(m => m.Name == "spinepolicy.hook.duration").MetricPoints);
        Assert.Equal("order-sign-crd", latency.Tag("spinepolicy.hook"));
        Assert.Equal(1, latency.GetHistogramCount());

        Assert.Contains("/v1/metrics", _telemetry.CollectorPaths);

        var exported = _telemetry.AllAttributeValues(_server.Services).ToList();
        foreach (var patientData in _app.PhiSent.Values.Select(v => v.Value).Concat(["pat-otel-77", "cov-otel-9", "sr-otel-1"]))
        {
            Assert.DoesNotContain(exported, value => value.Contains(patientData, StringComparison.OrdinalIgnoreCase));
        }
    }

    [Fact]
    public async Task HookCall_BadRequest_SpanAndLatencyNameTheStatus()
    {
        using var content = new StringContent("{ not json", System.Text.Encoding.UTF8, "application/json");
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/cds-services/order-sign-crd") { Content = content };
        request.Headers.Authorization = new("Bearer", TestKit.Security.TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl("order-sign-crd")));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var hook = await _telemetry.WaitForSpanAsync("CRD order-sign-crd");
        Assert.Equal(400, hook.GetTagItem("http.response.status_code"));
        Assert.Null(hook.GetTagItem("spinepolicy.decision"));
        var latency = Assert.Single(_telemetry.CollectMetrics(_server.Services).Single(m => m.Name == "spinepolicy.hook.duration").MetricPoints);
        Assert.Equal("400", latency.Tag("http.response.status_code"));
    }

    [Fact]
    public void Server_NoOtlpEndpoint_NoTelemetryCollected()
    {
        using var app = new SpinePolicyApp();

        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    private async Task<CrdCall> CallAsync(string serviceId, System.Text.Json.Nodes.JsonNode body)
    {
        using var client = _server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{serviceId}")
        {
            Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", TestKit.Security.TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(serviceId)));
        using var response = await client.SendAsync(request);
        return await CrdCall.ReadAsync(response);
    }
}

/// <summary>
/// The listeners of OpenTelemetry hear every "SpinePolicy" source and meter in the process, so a
/// telemetry test runs alone, after the parallel ones, to count only its own server's work.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TelemetryCollection
{
    public const string Name = "Telemetry";
}
