using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.Storage;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests;

[Collection(PasCollection.Name)]
public sealed class SubmitRecordTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    public async Task Submit_SameClaimIdentifierTwice_ReturnsTheSameClaimResponseAndCreatesNothing()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var first = await _host.SubmitAsync(request.Build());

        // A resubmission with a new Bundle identifier (e.g. a retry after a timeout) is still the same request.
        request.BundleIdentifier = $"B-{Guid.NewGuid():N}";
        var second = await _host.SubmitAsync(request.Build());

        Assert.Equal(HttpStatusCode.OK, second.Status);
        Assert.Equal(first.ClaimResponse.Id, second.ClaimResponse.Id);
        Assert.Equal(first.ClaimResponse.PreAuthRef, second.ClaimResponse.PreAuthRef);
        Assert.Equal("1", first.ClaimResponse.Meta!.VersionId);
        Assert.Equal("1", second.ClaimResponse.Meta!.VersionId);
        Assert.Equal(1, await CountClaimResponsesForAsync(first.ClaimResponse.Id!));
    }

    [Fact]
    public async Task Submit_SameBundleIdentifierWithAnotherClaimIdentifier_IsTheSameRequest()
    {
        var request = new PasRequestBuilder().Line("64490").WithAnswers(_host.Fill(Answers.AllMet("facet")));
        var first = await _host.SubmitAsync(request.Build());

        request.ClaimIdentifier = $"PA-{Guid.NewGuid():N}";
        var second = await _host.SubmitAsync(request.Build());

        Assert.Equal(first.ClaimResponse.Id, second.ClaimResponse.Id);
    }

    [Theory]
    [Trait("Clause", "P7")]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_SameIdentifiersWithOtherContent_RefusedWithoutTheStaleDecision(bool newBundleIdentifier)
    {
        // First a BVNA whose answers fail the criteria; then the same identifiers with every criterion met.
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var first = await _host.SubmitAsync(request.Build());
        var changed = new PasRequestBuilder
        {
            ClaimIdentifier = request.ClaimIdentifier,
            BundleIdentifier = newBundleIdentifier ? $"B-{Guid.NewGuid():N}" : request.BundleIdentifier,
        }.Line("64628").Line("64629").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var second = await _host.SubmitAsync(changed.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, second.Status);
        var issue = Assert.Single(second.Outcome.Issue);
        Assert.Equal(OperationOutcome.IssueType.Duplicate, issue.Code);
        Assert.Contains("different content", issue.Diagnostics, StringComparison.Ordinal);
        Assert.Equal(1, await CountClaimResponsesForAsync(first.ClaimResponse.Id!));
    }

    [Fact]
    public async Task Submit_IdenticalRequestsRacing_OneRecordAndOneAnswerForAll()
    {
        var bundle = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build();

        var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 6).Select(_ => _host.SubmitAsync(bundle)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var ids = answers.Select(a => a.ClaimResponse.Id).Distinct().ToList();
        Assert.Single(ids);
        Assert.Single(answers.Select(a => a.ClaimResponse.PreAuthRef).Distinct());
        var owner = $"{TestClients.NpiSystem}|{TestClients.ProviderNpi}";
        var claimKey = Records.PasRecordStore.ClaimKey(owner, $"https://ehr.test.example/prior-auth|{((Claim)bundle.Entry[0].Resource!).Identifier[0].Value}");
        var store = _host.Services.GetRequiredService<IResourceStore>();
        var claim = await store.FindByUniqueKeyAsync("Claim", claimKey, CancellationToken.None);
        Assert.Equal(ids[0], claim!.Id);
    }

    [Fact]
    public async Task Submit_Decision_IsStoredWithClaimRequestAndQuestionnaireResponse()
    {
        var qr = _host.Fill(Answers.AllMet("bvna"));
        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(qr).Build());
        var id = answer.ClaimResponse.Id!;
        var store = _host.Services.GetRequiredService<IResourceStore>();

        Assert.NotNull(await store.ReadAsync("Claim", id, CancellationToken.None));
        Assert.NotNull(await store.ReadAsync("Bundle", id, CancellationToken.None));
        var stored = await store.ReadAsync("ClaimResponse", id, CancellationToken.None);
        Assert.Contains("Medical Policy 097", stored!.Json, StringComparison.Ordinal);
        var responses = await store.SearchAsync(new ResourceSearch("QuestionnaireResponse") { Count = 1000 }, CancellationToken.None);
        Assert.NotEmpty(responses.Resources);
    }

    [Fact]
    public async Task Inquire_AfterSubmit_ReturnsTheCurrentClaimResponse()
    {
        var request = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var submitted = await _host.SubmitAsync(request.Build());

        var inquiry = await _host.InquireAsync(InquiryFor(request));

        Assert.Equal(HttpStatusCode.OK, inquiry.Status);
        Assert.Equal(submitted.ClaimResponse.Id, inquiry.ClaimResponse.Id);
        Assert.Equal("A4", inquiry.ActionOf(1));
        Assert.Contains("profile-claiminquiryresponse", inquiry.ClaimResponse.Meta!.Profile.Single(), StringComparison.Ordinal);
        Assert.IsType<Patient>(inquiry.Bundle.Entry[1].Resource);
    }

    [Fact]
    public async Task Inquire_NamingAnotherMember_404()
    {
        var request = new PasRequestBuilder().Line("64628");
        await _host.SubmitAsync(request.Build());
        var inquiry = InquiryFor(request);
        var patient = (Patient)inquiry.Entry.Single(e => e.Resource is Patient).Resource!;
        patient.Identifier = [new Identifier("http://payer.test.example/member-id", "M-9999")];

        var answer = await _host.InquireAsync(inquiry);

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
    }

    [Fact]
    public async Task Inquire_ForARequestNeverSubmitted_404WithOneOperationOutcome()
    {
        var inquiry = await _host.InquireAsync(InquiryFor(new PasRequestBuilder().Line("64628")));

        Assert.Equal(HttpStatusCode.NotFound, inquiry.Status);
        Assert.Single(inquiry.Outcome.Issue);
    }

    [Fact]
    public async Task Submit_ClaimNamingACrdAssertionThatIsUnknown_DecidesAndSaysTheLinkIsUnknown()
    {
        var request = new PasRequestBuilder().Line("64628", assertionId: "crd-assertion-unknown-1").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A1", answer.ActionOf(1));
        Assert.Contains(answer.ClaimResponse.ProcessNote, n => n.Text!.Contains("crd-assertion-unknown-1", StringComparison.Ordinal) && n.Text.Contains("no record", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Submit_UpdateReplacingAnEarlierRequest_NewDecisionAndTheEarlierResponseCancelled()
    {
        var original = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var first = await _host.SubmitAsync(original.Build());
        Assert.Equal("A4", first.ActionOf(1));

        var update = new PasRequestBuilder { ReplacesClaimIdentifier = original.ClaimIdentifier }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var second = await _host.SubmitAsync(update.Build());

        Assert.Equal("A1", second.ActionOf(1));
        Assert.NotEqual(first.ClaimResponse.Id, second.ClaimResponse.Id);
        var earlier = await _host.InquireAsync(InquiryFor(original));
        Assert.Equal(FinancialResourceStatusCodes.Cancelled, earlier.ClaimResponse.Status);
        Assert.Contains(earlier.ClaimResponse.ProcessNote, n => n.Text!.Contains("Replaced", StringComparison.Ordinal));
    }

    /// <summary>
    /// An update of a request that an earlier update already replaced (or a cancellation withdrew)
    /// is refused: accepted, it put a second request in force beside the first replacement.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Submit_UpdateOfARequestAlreadyReplaced_422AndTheReplacementStands(bool secondIsCancellation)
    {
        var original = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        await _host.SubmitAsync(original.Build());
        var update = new PasRequestBuilder { PatientId = original.PatientId, ReplacesClaimIdentifier = original.ClaimIdentifier }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        var replacement = await _host.SubmitAsync(update.Build());
        Assert.Equal("A1", replacement.ActionOf(1));

        var again = new PasRequestBuilder { PatientId = original.PatientId, ReplacesClaimIdentifier = original.ClaimIdentifier }.Line("64628", cancelled: secondIsCancellation);
        var answer = await _host.SubmitAsync(again.Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains("already replaced or cancelled", answer.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _host.InquireAsync(InquiryFor(again))).Status);
        var current = await _host.InquireAsync(InquiryFor(update));
        Assert.Equal(FinancialResourceStatusCodes.Active, current.ClaimResponse.Status);
    }

    public static Bundle InquiryFor(PasRequestBuilder request)
    {
        var bundle = request.Build();
        var claim = (Claim)bundle.Entry[0].Resource!;
        claim.Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim-inquiry"] };
        bundle.Identifier = new Identifier("https://ehr.test.example/inquiries", Guid.NewGuid().ToString("N"));
        return bundle;
    }

    private async Task<int> CountClaimResponsesForAsync(string id)
    {
        var store = _host.Services.GetRequiredService<IResourceStore>();
        var current = await store.ReadAsync("ClaimResponse", id, CancellationToken.None);
        return current?.VersionId ?? 0;
    }
}
