using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Validation;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// Every request Inferno's DTR test kit sends a payer (tests/fixtures/inferno/dtr) replayed through
/// the real pipeline: none gets a 5xx, each gets the status a conformant payer owes it, every answer
/// is FHIR (an OperationOutcome saying why, on a 4xx), and a package the server emits validates
/// against DTR's output profile.
/// </summary>
public sealed class InfernoDtrReplayTests(DtrAppFixture fixture) : IClassFixture<DtrAppFixture>
{
    private const string Package = PackageRequests.Path;
    private const string NextQuestion = DecisionSteps.NextQuestion;

    /// <summary>
    /// The kit's requests, where a DTR client sends them, and what this payer answers: Inferno's
    /// Coverage names another payer's plan and its orders (a blood gas panel, a dinner) are no
    /// policy's, and its adaptive form is not ours, so the conformant inputs get a 4xx that says so.
    /// </summary>
    public static TheoryData<string, string, int> Requests => new()
    {
        // Another payer's plan (422: not ours to decide); a Bundle where Parameters are due (400).
        { "dtr/questionnaire_package_input_params_conformant.json", Package, 422 },
        { "dtr/questionnaire_package_input_params_non_conformant.json", Package, 400 },
        // A form we do not publish (422); an empty parameter array, a QuestionnaireResponse with an
        // unparsable dateTime ("*") or code (" G30.0"), a Questionnaire where a response is due (400).
        { "dtr/next_question_initial_input_params_conformant.json", NextQuestion, 422 },
        { "dtr/next_question_initial_input_params_nonconformant.json", NextQuestion, 400 },
        { "dtr/questionnaire_response_conformant.json", NextQuestion, 400 },
        { "dtr/dinner_questionnaire_response_conformant.json", NextQuestion, 422 },
        { "dtr/questionnaire_response_dinner_order_static.json", NextQuestion, 400 },
        { "dtr/dinner_order_adaptive_next_question_initial.json", NextQuestion, 400 },
        { "dtr/dinner_order_adaptive_next_question_hamburger.json", NextQuestion, 400 },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public async Task Replay_InfernoDtrRequest_AnswersAsAConformantPayer(string fixturePath, string path, int expected)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, path, RepositoryPaths.ReadInferno(fixturePath));

        Assert.True((int)reply.Status == expected, $"{fixturePath}: {(int)reply.Status} {reply.Body[..Math.Min(400, reply.Body.Length)]}");
        Assert.Equal("application/fhir+json", reply.ContentType);
        var issue = Assert.Single(reply.As<OperationOutcome>().Issue);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, issue.Severity);
        Assert.False(string.IsNullOrWhiteSpace(issue.Diagnostics));
    }

    /// <summary>
    /// Inferno's conformant $questionnaire-package input with its values mapped to this payer (the
    /// plan to one of ours, the blood gas panel to a BVNA, its 2019 date of service to one under a
    /// policy version in force, P13): the package a DTR client then gets is the one DTR's output
    /// profile describes, and its Bundle and draft response conform too.
    /// </summary>
    [Fact]
    [Trait("Clause", "P2")]
    public async Task Replay_InfernoPackageInputMappedToOurPlanAndABvna_ReturnsAConformingPackage()
    {
        var json = RepositoryPaths.ReadInferno("dtr/questionnaire_package_input_params_conformant.json")
            .Replace("\"Premim Family Plus\"", "\"MGB-COMMERCIAL\"", StringComparison.Ordinal)
            .Replace("\"http://loinc.org\"", "\"http://www.ama-assn.org/go/cpt\"", StringComparison.Ordinal)
            .Replace("\"24338-6\"", "\"64628\"", StringComparison.Ordinal)
            .Replace("\"2019-05-08T09:33:27+07:00\"", "\"2026-05-08T09:33:27+07:00\"", StringComparison.Ordinal);

        var reply = await FhirHttp.PostRawAsync(fixture.Client, Package, json);

        Assert.True(reply.Status == System.Net.HttpStatusCode.OK, reply.Body);
        var output = reply.As<Parameters>();
        FhirProfileValidation.Shared.AssertConforms(output, DtrCanonicals.Profiles.PackageOutput);
        var bundle = Assert.IsType<Bundle>(Assert.Single(output.Parameter, p => p.Name == "PackageBundle").Resource);
        FhirProfileValidation.Shared.AssertConforms(bundle, DtrCanonicals.Profiles.PackageBundle);
        var questionnaire = Assert.IsType<Questionnaire>(bundle.Entry[0].Resource);
        Assert.Equal("https://spinepolicy.example.org/fhir/Questionnaire/bvna-097", questionnaire.Url);
        var draft = Assert.Single(bundle.Entry.Select(e => e.Resource).OfType<QuestionnaireResponse>());
        FhirProfileValidation.Shared.AssertConforms(draft, DtrCanonicals.Profiles.QuestionnaireResponse);
    }
}
