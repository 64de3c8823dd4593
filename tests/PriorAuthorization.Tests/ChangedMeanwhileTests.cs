using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Storage;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// A write that loses a race with someone else's change of the same record, made to happen on cue
/// (<see cref="StoreInterference"/>: the other request runs after this one read the record and
/// before it writes). A client that sent no If-Match gets 409 saying the record changed meanwhile
/// and nothing was recorded, never a 412 about an If-Match it never sent; one that sent If-Match
/// gets 412, its precondition having failed.
/// </summary>
public sealed class ChangedMeanwhileTests : IDisposable
{
    private readonly StoreInterference _interference = new();
    private readonly PasHost _host;

    public ChangedMeanwhileTests() => _host = new PasHost(
        new Dictionary<string, string?>
        {
            // The subscriptions here are only written, never notified (no request is decided
            // in their tests): a local endpoint, allow-listed as an operator would.
            ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
            ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
        },
        _interference.Install);

    public void Dispose() => _host.Dispose();

    [Fact]
    public async Task Submit_UpdateWhileAReviewerDecidesTheEarlierRequest_409AndNothingRecorded()
    {
        var earlier = new PasRequestBuilder().Line("64628");
        var earlierId = (await _host.SubmitAsync(earlier.Build())).ClaimResponse.Id!;
        var update = new PasRequestBuilder { PatientId = earlier.PatientId, ReplacesClaimIdentifier = earlier.ClaimIdentifier }.Line("64628", units: 2);
        _interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("ClaimResponse"), () => ReviewAsync(earlierId, "A1"));

        var answer = await _host.SubmitAsync(update.Build());

        AssertChangedMeanwhile(answer, earlierId);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.InquireAsync(SubmitRecordTests.InquiryFor(update))).Status);
        var current = await _host.InquireAsync(SubmitRecordTests.InquiryFor(earlier));
        Assert.Equal("A1", current.ActionOf(1));
        Assert.Equal(FinancialResourceStatusCodes.Active, current.ClaimResponse.Status);
    }

    [Fact]
    public async Task Submit_CancellationWhileAnotherUpdateOfTheSameRequestIsRecorded_409ForTheLaterOne()
    {
        var earlier = new PasRequestBuilder().Line("64628");
        var earlierId = (await _host.SubmitAsync(earlier.Build())).ClaimResponse.Id!;
        var update = new PasRequestBuilder { PatientId = earlier.PatientId, ReplacesClaimIdentifier = earlier.ClaimIdentifier }.Line("64628", units: 2);
        var cancellation = new PasRequestBuilder { PatientId = earlier.PatientId, ReplacesClaimIdentifier = earlier.ClaimIdentifier }.Line("64628", cancelled: true);
        FhirAnswer? first = null;
        _interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("ClaimResponse"), async () => first = await _host.SubmitAsync(update.Build()));

        var answer = await _host.SubmitAsync(cancellation.Build());

        Assert.Equal(HttpStatusCode.OK, first!.Status);
        AssertChangedMeanwhile(answer, earlierId);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.InquireAsync(SubmitRecordTests.InquiryFor(cancellation))).Status);
    }

    [Fact]
    public async Task Submit_AppealWhileAnotherAppealOfTheSameDenialIsRecorded_409ForTheLaterOne()
    {
        var denial = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-radicular-pain", true)));
        var denied = await _host.SubmitAsync(denial.Build());
        Assert.Equal("A3", denied.ActionOf(1));
        PasRequestBuilder Appeal() => new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = "2", ReplacesClaimIdentifier = denial.ClaimIdentifier }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        FhirAnswer? first = null;
        _interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("ClaimResponse"), async () => first = await _host.SubmitAsync(Appeal().Build()));

        var answer = await _host.SubmitAsync(Appeal().Build());

        Assert.Equal(HttpStatusCode.OK, first!.Status);
        AssertChangedMeanwhile(answer, denied.ClaimResponse.Id!);
    }

    [Fact]
    public async Task Subscription_PutWithoutIfMatchWhileAnotherUpdateIsRecorded_409AndTheOtherStands()
    {
        var id = await SubscribeAsync();
        var off = await ReadSubscriptionAsync(id);
        off.Status = Subscription.SubscriptionStatus.Off;
        var renamed = await ReadSubscriptionAsync(id);
        renamed.Reason = "Renamed by the other request";
        FhirAnswer? other = null;
        _interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("Subscription"), async () => other = await PutSubscriptionAsync(id, renamed, ifMatch: null));

        var answer = await PutSubscriptionAsync(id, off, ifMatch: null);

        Assert.Equal(HttpStatusCode.OK, other!.Status);
        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        var issue = Assert.Single(answer.Outcome.Issue);
        Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
        Assert.Contains("Nothing was recorded", issue.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("If-Match", issue.Diagnostics, StringComparison.Ordinal);
        var current = await ReadSubscriptionAsync(id);
        Assert.Equal(Subscription.SubscriptionStatus.Active, current.Status);
        Assert.Equal("Renamed by the other request", current.Reason);
    }

    [Fact]
    public async Task Subscription_PutWithIfMatchOfTheVersionAnotherUpdateReplacesMeanwhile_412()
    {
        var id = await SubscribeAsync();
        var off = await ReadSubscriptionAsync(id);
        off.Status = Subscription.SubscriptionStatus.Off;
        var renamed = await ReadSubscriptionAsync(id);
        renamed.Reason = "Renamed by the other request";
        _interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("Subscription"), async () => await PutSubscriptionAsync(id, renamed, ifMatch: null));

        var answer = await PutSubscriptionAsync(id, off, ifMatch: "1");

        Assert.Equal(HttpStatusCode.PreconditionFailed, answer.Status);
        Assert.Contains("If-Match names version 1", Assert.Single(answer.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Equal(Subscription.SubscriptionStatus.Active, (await ReadSubscriptionAsync(id)).Status);
    }

    [Fact]
    public async Task Subscription_PutWithStaleIfMatch_412NamingTheCurrentVersion()
    {
        var id = await SubscribeAsync();
        var subscription = await ReadSubscriptionAsync(id);
        subscription.Reason = "Second version";
        Assert.Equal(HttpStatusCode.OK, (await PutSubscriptionAsync(id, subscription, ifMatch: "1")).Status);

        var stale = await PutSubscriptionAsync(id, subscription, ifMatch: "1");

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("at version 2", Assert.Single(stale.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }

    internal static void AssertChangedMeanwhile(FhirAnswer answer, string earlierId)
    {
        Assert.Equal(HttpStatusCode.Conflict, answer.Status);
        var issue = Assert.Single(answer.Outcome.Issue);
        Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
        Assert.Contains($"ClaimResponse/{earlierId}", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("changed while this request was being recorded", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Contains("Nothing was recorded", issue.Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("If-Match", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal("Bundle.entry[0].resource.related.claim", Assert.Single(issue.Expression));
    }

    private async Task ReviewAsync(string id, string action)
    {
        using var reviewer = _host.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{id}/$review", SubscriptionRequests.Decision(1, action, "Decided on review."));
        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
    }

    private async Task<string> SubscribeAsync()
    {
        var created = await PasHost.PostAsync(_host.Client, "/fhir/Subscription", SubscriptionRequests.NewSubscription("http://localhost:9/hooks", "org-identifier=1234567893"));
        Assert.Equal(HttpStatusCode.Created, created.Status);
        return created.Resource!.Id!;
    }

    private async Task<Subscription> ReadSubscriptionAsync(string id)
    {
        using var response = await _host.Client.GetAsync(new Uri($"/fhir/Subscription/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Parse<Subscription>(await response.Content.ReadAsStringAsync());
    }

    private async Task<FhirAnswer> PutSubscriptionAsync(string id, Subscription subscription, string? ifMatch)
    {
        using var content = new StringContent(FhirJson.Serialize(subscription), System.Text.Encoding.UTF8, "application/fhir+json");
        using var request = new HttpRequestMessage(HttpMethod.Put, new Uri($"/fhir/Subscription/{id}", UriKind.Relative)) { Content = content };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue($"\"{ifMatch}\"", isWeak: true));
        }

        using var response = await _host.Client.SendAsync(request);
        return await FhirAnswer.ReadAsync(response);
    }
}
