using System.Diagnostics;
using System.Net;
using Hl7.Fhir.Model;
using OpenTelemetry.Metrics;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Telemetry;
using WireMock.RequestBuilders;
using WireMock.Server;
using WireMockResponse = WireMock.ResponseBuilders.Response;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// With OpenTelemetry configured, a submit and a review each give a span naming the decision and
/// the policy version, the decisions are counted by stage, outcome, product line and code, the
/// subscriber's notification is counted with its lag, and the audit queue is observed; nothing
/// exported names the member or the request.
/// </summary>
[Collection(TelemetryCollection.Name)]
public sealed class TelemetryTests : IDisposable
{
    private readonly TelemetryCapture _telemetry = new();
    private readonly WireMockServer _subscriber = WireMockServer.Start();
    private readonly PasHost _host;

    public TelemetryTests()
    {
        var settings = new Dictionary<string, string?>(_telemetry.Settings)
        {
            ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
            ["Pas:NotificationPollInterval"] = "00:00:00.050",
            ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
            ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        };
        _host = new PasHost(settings, _telemetry.AddTo);
    }

    public void Dispose()
    {
        _host.Dispose();
        _subscriber.Stop();
        _subscriber.Dispose();
        _telemetry.Dispose();
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task SubmitThenReview_TelemetryOn_SpansAndMetricsCarryDecisionsWithoutPatientData()
    {
        _subscriber.Given(Request.Create().WithPath("/hooks/clinic").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        var subscription = await PasHost.PostAsync(_host.Client, "/fhir/Subscription", SubscriptionRequests.NewSubscription($"{_subscriber.Url}/hooks/clinic", "orgIdentifier=1111111111"));
        Assert.Equal(HttpStatusCode.Created, subscription.Status);
        var request = new PasRequestBuilder { ClaimIdentifier = "PA-OTEL-4711", RequestorIdentifier = "1111111111" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)));

        var submitted = await _host.SubmitAsync(request.Build());

        Assert.Equal("A4", submitted.ActionOf(1));
        var policyVersion = PolicyVersionOf(submitted.ClaimResponse);
        var submit = await _telemetry.WaitForSpanAsync("PAS submit");
        Assert.Equal("pended", submit.GetTagItem("spinepolicy.decision"));
        Assert.Equal(policyVersion, submit.GetTagItem("spinepolicy.policy.version"));
        Assert.Equal(1, submit.GetTagItem("spinepolicy.items"));

        using var reviewer = _host.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}/$review", SubscriptionRequests.Decision(1, "A1", "Criteria met on clinical review."));

        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        var review = await _telemetry.WaitForSpanAsync("PAS review");
        Assert.Equal("certified", review.GetTagItem("spinepolicy.decision"));
        Assert.Equal(policyVersion, review.GetTagItem("spinepolicy.policy.version"));
        var reviewRequest = await _telemetry.WaitForSpanAsync("POST /fhir/ClaimResponse/{id}/$review");
        Assert.Equal("/fhir/ClaimResponse/{id}/$review", reviewRequest.GetTagItem("url.path"));

        var deliveries = await WaitForMetricAsync("spinepolicy.notification.deliveries");
        var delivered = Assert.Single(deliveries.MetricPoints, p => p.Tag("spinepolicy.result") == "delivered");
        Assert.Equal(1, delivered.GetSumLong());
        var metrics = _telemetry.CollectMetrics(_host.Services);
        var lag = Assert.Single(metrics.Single(m => m.Name == "spinepolicy.notification.lag").MetricPoints);
        Assert.Equal(1, lag.GetHistogramCount());
        Assert.InRange(lag.GetHistogramSum(), 0, 10);
        var decisions = metrics.Single(m => m.Name == "spinepolicy.decisions").MetricPoints;
        var pended = Assert.Single(decisions, p => p.Tag("spinepolicy.stage") == "pas");
        Assert.Equal(("pended", "commercial", "64628"), (pended.Tag("spinepolicy.decision"), pended.Tag("spinepolicy.product_line"), pended.Tag("spinepolicy.cpt_code")));
        var certified = Assert.Single(decisions, p => p.Tag("spinepolicy.stage") == "review");
        Assert.Equal(("certified", "commercial", "64628"), (certified.Tag("spinepolicy.decision"), certified.Tag("spinepolicy.product_line"), certified.Tag("spinepolicy.cpt_code")));
        Assert.Contains(metrics, m => m.Name == "spinepolicy.audit.queue.depth");

        var exported = _telemetry.AllAttributeValues(_host.Services).ToList();
        var identifying = new[] { submitted.ClaimResponse.Id!, "PA-OTEL-4711", request.BirthDate, "1970" };
        foreach (var value in identifying)
        {
            Assert.DoesNotContain(exported, e => e.Contains(value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Submit_IdenticalRepeat_SpanMarkedRepeatAndNoSecondDecisionCounted()
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        await _host.SubmitAsync(bundle);

        var repeated = await _host.SubmitAsync(bundle);

        Assert.Equal(HttpStatusCode.OK, repeated.Status);
        var spans = await WaitForSpansAsync("PAS submit", 2);
        Assert.Equal(true, spans[1].GetTagItem("spinepolicy.repeat"));
        var decisions = _telemetry.CollectMetrics(_host.Services).Single(m => m.Name == "spinepolicy.decisions");
        Assert.Equal(1, Assert.Single(decisions.MetricPoints).GetSumLong());
    }

    private static string PolicyVersionOf(ClaimResponse response)
    {
        var tag = Assert.Single(response.Meta!.Tag, t => t.System == ClaimResponseBuilder.PolicyVersionSystem);
        return tag.Code![(tag.Code!.LastIndexOf('|') + 1)..];
    }

    private async Task<List<Activity>> WaitForSpansAsync(string name, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_telemetry.Spans.Count(s => s.DisplayName == name) < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }

        return _telemetry.Spans.Where(s => s.DisplayName == name).ToList();
    }

    /// <summary>Notifications are delivered in the background: wait (up to 10 s) for the metric to appear.</summary>
    private async Task<MetricSnapshot> WaitForMetricAsync(string name)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (_telemetry.CollectMetrics(_host.Services).FirstOrDefault(m => m.Name == name) is { } metric)
            {
                return metric;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No metric {name} within 10 s.");
            await Task.Delay(50);
        }
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
