using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.PriorAuthorization.Tests;

[Collection(PasCollection.Name)]
public sealed class BadRequestTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    public async Task Submit_InfernoBundleWithNoEntries_400WithOneOperationOutcome()
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", RepositoryPaths.ReadInferno("pas/nonconformant_pas_bundle_v110.json"));

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "no entries");
    }

    [Fact]
    public async Task Submit_InfernoBundleMissingAReferencedResource_400NamingTheReference()
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", RepositoryPaths.ReadInferno("pas/missing_referenced_resource_request_bundle.json"));

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "ReferralPractitionerExample");
    }

    [Fact]
    public async Task Submit_ClaimThatIsNotAPreauthorization_422()
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        ((Claim)bundle.Entry[0].Resource!).Use = ClaimUseCode.Claim;

        var answer = await _host.SubmitAsync(bundle);

        AssertOneOutcome(answer, (HttpStatusCode)422, "preauthorization");
    }

    [Fact]
    public async Task Submit_FirstEntryNotAClaim_400()
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        (bundle.Entry[0], bundle.Entry[1]) = (bundle.Entry[1], bundle.Entry[0]);

        var answer = await _host.SubmitAsync(bundle);

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "first entry");
    }

    [Fact]
    public async Task Submit_QuestionnaireResponseForAQuestionnaireWeDoNotPublish_422NamingIt()
    {
        var qr = _host.Fill(Answers.AllMet("bvna"));
        qr.Questionnaire = "https://other-payer.example/Questionnaire/home-oxygen|1.0";

        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(qr).Build());

        AssertOneOutcome(answer, (HttpStatusCode)422, "home-oxygen");
    }

    [Fact]
    public async Task Submit_AnswerToAQuestionThatIsNotAsked_422()
    {
        // bvna-spondylolisthesis-mm is asked only when spondylolisthesis is present.
        var qr = _host.Fill(Answers.AllMet("bvna").Set("bvna-spondylolisthesis-mm", 1.0m));

        var answer = await _host.SubmitAsync(new PasRequestBuilder().Line("64628").WithAnswers(qr).Build());

        AssertOneOutcome(answer, (HttpStatusCode)422, "bvna-spondylolisthesis-mm");
    }

    [Fact]
    public async Task Submit_NotJson_400()
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", "{ this is not json");

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "JSON");
    }

    [Fact]
    public async Task Submit_ClaimWithoutIdentifier_400()
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        ((Claim)bundle.Entry[0].Resource!).Identifier.Clear();

        var answer = await _host.SubmitAsync(bundle);

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "Claim.identifier");
    }

    [Theory]
    [InlineData("pas/conformant_pas_bundle_v110.json", 1)]
    [InlineData("pas/conformant_pas_bundle_v110_multiple_items.json", 2)]
    [InlineData("pas/conformant_pas_bundle_v110_uuid.json", 1)]
    public async Task Submit_InfernoConformantBundleForServicesOutsideThePolicy_AnswersEveryItemWithThePayerDefault(string fixturePath, int items)
    {
        var json = RepositoryPaths.ReadInferno(fixturePath).Replace("\"A12345\"", $"\"{Guid.NewGuid():N}\"", StringComparison.Ordinal).Replace("\"111099\"", $"\"{Guid.NewGuid():N}\"", StringComparison.Ordinal);

        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", json);

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal(items, answer.ClaimResponse.Item.Count);
        // Inferno orders a consultation (X12 service type 3): no loaded policy governs it, so the
        // configured default answers (UngovernedServices: not on the prior-authorization list).
        Assert.All(answer.ClaimResponse.Item, i => Assert.Equal("NA", answer.ActionOf(i.ItemSequence ?? 0)));
    }

    private static void AssertOneOutcome(FhirAnswer answer, HttpStatusCode status, string mentions)
    {
        Assert.Equal(status, answer.Status);
        var outcome = answer.Outcome;
        var issue = Assert.Single(outcome.Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.Contains(mentions, issue.Diagnostics, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("   at ", answer.Body, StringComparison.Ordinal);
    }
}
