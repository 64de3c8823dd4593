using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using SpinePolicy.TestKit.Validation;
using WireMock.RequestBuilders;
using WireMockResponse = WireMock.ResponseBuilders.Response;
using WireMock.Server;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>A pended request finished by a reviewer, and the requesting organization's subscriber told (WireMock plays the subscriber).</summary>
public sealed class ReviewAndNotificationTests : IDisposable
{
    private const string Topic = SubscriptionRequests.Topic;
    private readonly WireMockServer _subscriber = WireMockServer.Start();
    private readonly PasHost _host = new(new Dictionary<string, string?>
    {
        ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
        ["Pas:NotificationRetryDelay"] = "00:00:00.050",
        ["Pas:NotificationPollInterval"] = "00:00:00.050",

        // WireMock plays the subscriber on this machine; the Inferno example names a public host
        // (allow-listed so that creating it needs no DNS here).
        ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
        ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        ["Pas:SubscriptionEndpointAllowList:2"] = "subscriptions.argo.run",
    });

    public void Dispose()
    {
        _host.Dispose();
        _subscriber.Stop();
        _subscriber.Dispose();
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Review_CertifyingAPendedItem_NewVersionAndTheRequestersSubscriberNotified()
    {
        _subscriber.Given(Request.Create().WithPath("/hooks/clinic").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        _subscriber.Given(Request.Create().WithPath("/hooks/other-clinic").UsingPost()).RespondWith(WireMockResponse.Create().WithStatusCode(200));
        var request = new PasRequestBuilder { RequestorIdentifier = "1111111111" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)));
        await CreateSubscriptionAsync("/hooks/clinic", "orgIdentifier=1111111111");
        await CreateSubscriptionAsync("/hooks/other-clinic", $"orgIdentifier={TestClients.NpiSystem}|{TestClients.OtherProviderNpi}", _host.CreateClientAs(TestClients.OtherProviderClientId));
        var submitted = await _host.SubmitAsync(request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A1", "Meets the full InterQual subset on clinical review."));

        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        Assert.Equal("A1", reviewed.ActionOf(1));
        Assert.Equal("2", reviewed.ClaimResponse.Meta!.VersionId);
        Assert.Equal(ClaimProcessingCodes.Complete, reviewed.ClaimResponse.Outcome);
        Assert.NotNull(reviewed.ClaimResponse.PreAuthRef);
        Assert.Contains(TestClients.ReviewerClientId, reviewed.NotesOf(1), StringComparison.Ordinal);
        FhirProfileValidation.Shared.AssertConforms(reviewed.Bundle, PasCodes.ResponseBundleProfile);

        var notification = await WaitForNotificationAsync("/hooks/clinic");
        Assert.Equal(Bundle.BundleType.History, notification.Type);
        FhirProfileValidation.Shared.AssertConforms(notification, "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription-notification-r4");
        var status = Assert.IsType<Parameters>(notification.Entry[0].Resource);
        Assert.Equal(Topic, ((Canonical)status.GetSingle("topic")!.Value!).Value);
        Assert.Equal("event-notification", ((Code)status.GetSingle("type")!.Value!).Value);
        var focus = Assert.IsType<ClaimResponse>(notification.Entry[1].Resource);
        Assert.Equal(submitted.ClaimResponse.Id, focus.Id);
        Assert.Equal("A1", ClaimResponseItems.ActionOf(focus.Item[0])?.X12().Code);
        Assert.Contains(notification.Entry, e => e.Resource is Patient);
        Assert.Empty(_subscriber.FindLogEntries(Request.Create().WithPath("/hooks/other-clinic")));

        var inquiry = await _host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal("A1", inquiry.ActionOf(1));
        Assert.Equal("2", inquiry.ClaimResponse.Meta!.VersionId);
    }

    [Fact]
    public async Task Review_SubscriberFailsOnce_NotificationRetriedUntilDelivered()
    {
        _subscriber.Given(Request.Create().WithPath("/hooks/flaky").UsingPost()).InScenario("flaky").WillSetStateTo("failed-once")
            .RespondWith(WireMockResponse.Create().WithStatusCode(503));
        _subscriber.Given(Request.Create().WithPath("/hooks/flaky").UsingPost()).InScenario("flaky").WhenStateIs("failed-once")
            .RespondWith(WireMockResponse.Create().WithStatusCode(200));
        var request = new PasRequestBuilder { RequestorIdentifier = "3333333333" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        await CreateSubscriptionAsync("/hooks/flaky", "orgIdentifier=http://hl7.org/fhir/sid/us-npi|3333333333");
        var submitted = await _host.SubmitAsync(request.Build());

        await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A3", "BMI 44 documented in the chart: exclusion P7.11."));

        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (_subscriber.FindLogEntries(Request.Create().WithPath("/hooks/flaky")).Count < 2 && DateTime.UtcNow < deadline)
        {
            await System.Threading.Tasks.Task.Delay(50);
        }

        var attempts = _subscriber.FindLogEntries(Request.Create().WithPath("/hooks/flaky"));
        Assert.Equal(2, attempts.Count);
        Assert.Equal(503, attempts[0].ResponseMessage.StatusCode);
        Assert.Equal(200, attempts[1].ResponseMessage.StatusCode);
    }

    [Fact]
    public async Task Review_NotCertified_ItemCarriesTheReviewersReason()
    {
        var submitted = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi"))).Build());

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A3", "BMI 44 documented in the chart: exclusion P7.11."));

        Assert.Equal("A3", reviewed.ActionOf(1));
        Assert.Contains("0F", reviewed.ReasonCodesOf(1));
        Assert.Contains("BMI 44", reviewed.NotesOf(1), StringComparison.Ordinal);
        Assert.Null(reviewed.ClaimResponse.PreAuthRef);
    }

    [Fact]
    public async Task Review_ItemThatIsNotPended_422AndNothingChanges()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-radicular-pain", true)));
        var submitted = await _host.SubmitAsync(request.Build());

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A1", "Overriding."));

        Assert.Equal((HttpStatusCode)422, reviewed.Status);
        Assert.Single(reviewed.Outcome.Issue);
        var inquiry = await _host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal("A3", inquiry.ActionOf(1));
        Assert.Equal("1", inquiry.ClaimResponse.Meta!.VersionId);
    }

    [Fact]
    public async Task Review_TwoReviewersDecidingTheSameItemAtOnce_OneDecisionIsRecorded()
    {
        var request = new PasRequestBuilder().Line("64628");
        var submitted = await _host.SubmitAsync(request.Build());
        var id = submitted.ClaimResponse.Id!;

        var results = await System.Threading.Tasks.Task.WhenAll(
            ReviewAsync(id, SubscriptionRequests.Decision(1, "A1", "Criteria met on review.")),
            ReviewAsync(id, SubscriptionRequests.Decision(1, "A3", "Criteria not met on review.")));

        var winner = Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.Single(results, r => r.Status == HttpStatusCode.Conflict);
        var current = await _host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal("2", current.ClaimResponse.Meta!.VersionId);
        Assert.Equal(winner.ActionOf(1), current.ActionOf(1));
    }

    [Fact]
    public async Task Review_DenialWithoutANote_400()
    {
        var submitted = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").Build());

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A3", null));

        Assert.Equal(HttpStatusCode.BadRequest, reviewed.Status);
        Assert.Contains("note", Assert.Single(reviewed.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_UnknownClaimResponse_404()
    {
        var reviewed = await ReviewAsync("no-such-response", SubscriptionRequests.Decision(1, "A1", "x"));

        Assert.Equal(HttpStatusCode.NotFound, reviewed.Status);
    }

    [Fact]
    public async Task Review_ProviderClientWithTheScopeClaimingTheReviewerRole_403()
    {
        var submitted = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").Build());

        // The role claim and the scope are both there; only the reviewer application's binding counts.
        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A1", "x"), ReviewerTokens.Mint(clientId: TestTokens.DefaultFhirClientId));

        Assert.Equal(HttpStatusCode.Forbidden, reviewed.Status);
    }

    [Fact]
    public async Task Review_ReviewerWithoutTheUpdateScope_403()
    {
        var submitted = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").Build());

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A1", "x"), ReviewerTokens.Mint(scopes: "system/ClaimResponse.read"));

        Assert.Equal(HttpStatusCode.Forbidden, reviewed.Status);
    }

    [Fact]
    public async Task Review_WithoutAToken_401()
    {
        using var anonymous = _host.CreateClient("ignored");
        anonymous.DefaultRequestHeaders.Authorization = null;

        var answer = await PasHost.PostAsync(anonymous, "/fhir/ClaimResponse/x/$review", SubscriptionRequests.Decision(1, "A1", "x"));

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task Subscription_InfernoFullResourceExample_CreatedActiveAndReadable()
    {
        var json = RepositoryPaths.ReadInferno("pas/PAS_Subscription_example_full_resource.json");

        var created = await PasHost.PostJsonAsync(_host.Client, "/fhir/Subscription", json);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        var subscription = Assert.IsType<Subscription>(created.Resource);
        Assert.Equal(Subscription.SubscriptionStatus.Active, subscription.Status);
        using var response = await _host.Client.GetAsync(new Uri($"/fhir/Subscription/{subscription.Id}", UriKind.Relative));
        var read = await FhirAnswer.ReadAsync(response);
        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(Topic, ((Subscription)read.Resource!).Criteria);
    }

    [Theory]
    [InlineData("pas/PAS_Subscription_example_bad_topic_and_criteria.json", "PAS topic")]
    public async Task Subscription_InfernoBadExample_422NamingTheProblem(string fixture, string mentions)
    {
        var created = await PasHost.PostJsonAsync(_host.Client, "/fhir/Subscription", RepositoryPaths.ReadInferno(fixture));

        Assert.Equal((HttpStatusCode)422, created.Status);
        Assert.Contains(mentions, Assert.Single(created.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Subscription_WithoutAnOrganizationFilter_422()
    {
        var subscription = SubscriptionRequests.NewSubscription($"{_subscriber.Url}/hooks/x", filter: null);

        var created = await PasHost.PostAsync(_host.Client, "/fhir/Subscription", subscription);

        Assert.Equal((HttpStatusCode)422, created.Status);
        Assert.Contains("org-identifier", Assert.Single(created.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    private async Task CreateSubscriptionAsync(string path, string filter, HttpClient? client = null)
    {
        var created = await PasHost.PostAsync(client ?? _host.Client, "/fhir/Subscription", SubscriptionRequests.NewSubscription($"{_subscriber.Url}{path}", filter));
        Assert.Equal(HttpStatusCode.Created, created.Status);
    }

    private async Task<FhirAnswer> ReviewAsync(string id, Parameters decision, string? token = null)
    {
        using var client = _host.CreateClient(token ?? ReviewerTokens.Mint());
        return await PasHost.PostAsync(client, $"/fhir/ClaimResponse/{id}/$review", decision);
    }

    private async Task<Bundle> WaitForNotificationAsync(string path)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < deadline)
        {
            var entries = _subscriber.FindLogEntries(Request.Create().WithPath(path).UsingPost());
            if (entries.Count > 0)
            {
                Assert.StartsWith("application/fhir+json", entries[0].RequestMessage.Headers!["Content-Type"][0], StringComparison.Ordinal);
                return FhirJson.Parse<Bundle>(entries[0].RequestMessage.Body!);
            }

            await System.Threading.Tasks.Task.Delay(50);
        }

        throw new TimeoutException($"No notification reached {path} within 10 s.");
    }
}
