using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;
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

    /// <summary>CRD and DTR refuse the same record (PatientFacts.CheckBornBy): a member born after the service is not an unknown age.</summary>
    [Fact]
    public async Task Submit_MemberBornAfterTheDateOfService_422NamingTheBirthDate()
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder { BirthDate = "2999-01-01" }.Line("64628").Build());

        AssertOneOutcome(answer, (HttpStatusCode)422, "after the date of service");
        Assert.EndsWith(".birthDate", Assert.Single(answer.Outcome.Issue).Expression.Single(), StringComparison.Ordinal);
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

    [Fact]
    public async Task Submit_TwoEntriesWithOneFullUrl_400NamingTheRule()
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        bundle.Entry[^1].FullUrl = bundle.Entry[1].FullUrl;

        var answer = await _host.SubmitAsync(bundle);

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "bdl-7");
        Assert.Equal($"Bundle.entry[{bundle.Entry.Count - 1}].fullUrl", Assert.Single(answer.Outcome.Issue).Expression.Single());
    }

    [Fact]
    public async Task Submit_ServiceOnTheCalendarsLastDay_IsCertifiedUntilThatDayNot500()
    {
        var request = new PasRequestBuilder { ServiceDate = "9999-12-31" }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("A1", answer.ActionOf(1));
        var period = (Period)answer.ClaimResponse.Item.Single().Extension.Single(e => e.Url == PasCodes.ItemPreAuthPeriodUrl).Value!;
        Assert.Equal("9999-12-31", period.Start);
        Assert.Equal("9999-12-31", period.End);
    }

    [Theory]
    [InlineData(@"\u0001")]
    [InlineData(@"\u0000")]
    [InlineData(@"\u001F")]
    [InlineData(@"\b")]
    public async Task Submit_ControlCharacterInAString_400(string jsonEscape)
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", WithIdentifierSuffix(jsonEscape));

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "control character");
    }

    [Theory]
    [InlineData(@"\\u0001")] // an escaped backslash, then the letters u0001
    [InlineData(@"\t\r\n")]
    [InlineData(@"\ud83d\ude00")] // a whole surrogate pair
    public async Task Submit_EscapesThatSpellText_AreAccepted(string jsonEscape)
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", WithIdentifierSuffix(jsonEscape));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
    }

    [Theory]
    [InlineData(@"\ud800")]
    [InlineData(@"\udc00x")]
    [InlineData(@"\ud800\u0041")]
    public async Task Submit_HalfASurrogatePair_400(string jsonEscape)
    {
        var answer = await PasHost.PostJsonAsync(_host.Client, "/fhir/Claim/$submit", WithIdentifierSuffix(jsonEscape));

        AssertOneOutcome(answer, HttpStatusCode.BadRequest, "surrogate");
    }

    /// <summary>A request whose Claim.identifier value ends with this JSON text (an escape as the wire carries it).</summary>
    private static string WithIdentifierSuffix(string jsonText)
    {
        var bundle = new PasRequestBuilder().Line("64628").Build();
        var value = "ESC-" + Guid.NewGuid().ToString("N");
        ((Claim)bundle.Entry[0].Resource!).Identifier[0].Value = value;
        return SpinePolicy.Fhir.FhirJson.Serialize(bundle).Replace($"\"{value}\"", $"\"{value}{jsonText}\"", StringComparison.Ordinal);
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
