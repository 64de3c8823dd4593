using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// Appeals: a PAS request with certification type 1 (Appeal – Immediate) or 2 (Appeal – Standard)
/// whose Claim.related names the denied request. It goes to a reviewer, is decided like any pended
/// request, and it and the denial name each other.
/// </summary>
public sealed class AppealTests(AppealTests.Fixture fixture) : IClassFixture<AppealTests.Fixture>
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    [Trait("Clause", "P7")]
    public async Task Appeal_OfADenial_GoesToAReviewerAndTheDenialAndTheAppealStayLinked()
    {
        var (denial, deniedId) = await SubmitDenialAsync();

        var appeal = new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = "2", ReplacesClaimIdentifier = denial.ClaimIdentifier }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var appealed = await _host.SubmitAsync(appeal.Build());

        // Even answers the automated reading would certify go to a human on appeal.
        Assert.Equal(HttpStatusCode.OK, appealed.Status);
        Assert.Equal("A4", appealed.ActionOf(1));
        Assert.Contains($"appeal of the denial recorded as ClaimResponse/{deniedId}", appealed.NotesOf(1), StringComparison.Ordinal);
        var appealId = appealed.ClaimResponse.Id!;

        var original = await _host.InquireAsync(SubmitRecordTests.InquiryFor(denial));
        Assert.Equal("A3", original.ActionOf(1));
        Assert.Equal("active", original.ClaimResponse.Status?.ToString().ToLowerInvariant());
        Assert.Contains(original.ClaimResponse.ProcessNote, n => n.Text is { } text && text.StartsWith("Appealed by the request", StringComparison.Ordinal) && text.Contains($"ClaimResponse/{appealId}", StringComparison.Ordinal));

        var queued = await _host.QueuedAsync(appealId);
        Assert.Equal(RequestKind.Appeal, queued.Kind);
        Assert.Equal(TimeSpan.FromDays(7), queued.DueBy - queued.Received);

        using var reviewer = _host.CreateClient(ReviewerTokens.Mint());
        var decided = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{appealId}/$review", SubscriptionRequests.Decision(1, "A1", "Radicular pain was ruled out on re-examination."));
        Assert.Equal("A1", decided.ActionOf(1));
        Assert.NotNull(decided.ClaimResponse.PreAuthRef);
        Assert.Equal("A3", (await _host.InquireAsync(SubmitRecordTests.InquiryFor(denial))).ActionOf(1));
    }

    [Fact]
    public async Task Appeal_Immediate_RunsOnTheExpeditedClock()
    {
        var (denial, _) = await SubmitDenialAsync();

        var appealed = await _host.SubmitAsync(new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = "1", ReplacesClaimIdentifier = denial.ClaimIdentifier }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());

        var queued = await _host.QueuedAsync(appealed.ClaimResponse.Id!);
        Assert.Equal(RequestUrgency.Urgent, queued.Urgency);
        Assert.Equal(TimeSpan.FromHours(72), queued.DueBy - queued.Received);
        Assert.Contains("expedited request", string.Join('\n', appealed.ClaimResponse.ProcessNote.Select(n => n.Text)), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("2")]
    public async Task Appeal_UpdatedByTheProvider_StaysAnAppealOfTheSameDenialForTheReviewer(string? updateCertificationType)
    {
        var (denial, deniedId) = await SubmitDenialAsync();
        var appeal = new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = "2", ReplacesClaimIdentifier = denial.ClaimIdentifier }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var appealed = await _host.SubmitAsync(appeal.Build());
        Assert.Equal("A4", appealed.ActionOf(1));

        // The provider corrects its appeal: a PAS update naming the appeal, with answers the
        // automated reading would certify.
        var update = new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = updateCertificationType, ReplacesClaimIdentifier = appeal.ClaimIdentifier }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var updated = await _host.SubmitAsync(update.Build());

        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("A4", updated.ActionOf(1));
        Assert.Contains($"appeal of the denial recorded as ClaimResponse/{deniedId}", updated.NotesOf(1), StringComparison.Ordinal);
        var queued = await _host.QueuedAsync(updated.ClaimResponse.Id!);
        Assert.Equal(RequestKind.Appeal, queued.Kind);
        var superseded = await _host.InquireAsync(SubmitRecordTests.InquiryFor(appeal));
        Assert.Equal("cancelled", superseded.ClaimResponse.Status?.ToString().ToLowerInvariant());
    }

    [Fact]
    public async Task Appeal_OfARequestWithNoDenial_422()
    {
        var approved = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        Assert.Equal("A1", (await _host.SubmitAsync(approved.Build())).ActionOf(1));

        var appealed = await _host.SubmitAsync(new PasRequestBuilder { CertificationType = "2", ReplacesClaimIdentifier = approved.ClaimIdentifier }.Line("64628").Build());

        Assert.Equal((HttpStatusCode)422, appealed.Status);
        Assert.Contains("only a denial can be appealed", appealed.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appeal_NamingNoRequest_400()
    {
        var appealed = await _host.SubmitAsync(new PasRequestBuilder { CertificationType = "2" }.Line("64628").Build());

        Assert.Equal(HttpStatusCode.BadRequest, appealed.Status);
        Assert.Contains("Claim.related.claim", appealed.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Appeal_NamingAnUnknownRequest_422()
    {
        var appealed = await _host.SubmitAsync(new PasRequestBuilder { CertificationType = "2", ReplacesClaimIdentifier = "PA-never-sent" }.Line("64628").Build());

        Assert.Equal((HttpStatusCode)422, appealed.Status);
    }

    [Fact]
    public async Task Appeal_OfAnotherOrganizationsDenial_AnsweredAsUnknownAndTheDenialUntouched()
    {
        var (denial, _) = await SubmitDenialAsync();
        using var otherProvider = _host.CreateClientAs(SpinePolicy.TestKit.Security.TestClients.OtherProviderClientId);
        var appeal = new PasRequestBuilder { PatientId = denial.PatientId, CertificationType = "2", ReplacesClaimIdentifier = denial.ClaimIdentifier, RequestorIdentifier = SpinePolicy.TestKit.Security.TestClients.OtherProviderNpi }
            .Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var appealed = await PasHost.PostAsync(otherProvider, "/fhir/Claim/$submit", appeal.Build());

        Assert.Equal((HttpStatusCode)422, appealed.Status);
        Assert.Contains("has no record of", appealed.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        var original = await _host.InquireAsync(SubmitRecordTests.InquiryFor(denial));
        Assert.Equal("1", original.ClaimResponse.Meta!.VersionId);
        Assert.DoesNotContain(original.ClaimResponse.ProcessNote, n => n.Text is { } text && text.StartsWith("Appealed by", StringComparison.Ordinal));
    }

    private async Task<(PasRequestBuilder Request, string Id)> SubmitDenialAsync()
    {
        var denial = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-radicular-pain", true)));
        var denied = await _host.SubmitAsync(denial.Build());
        Assert.Equal("A3", denied.ActionOf(1));
        return (denial, denied.ClaimResponse.Id!);
    }

    public sealed class Fixture : IDisposable
    {
        public PasHost Host { get; } = new();

        public void Dispose() => Host.Dispose();
    }
}
