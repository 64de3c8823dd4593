using System.Net;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>SDC/DTR adaptive forms: ask only what the policy still needs, stop once it is decided.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class NextQuestionTests(DtrAppFixture fixture)
{
    private const string Path = DecisionSteps.NextQuestion;

    [Fact]
    [Trait("Clause", "P7")]
    public async Task AdaptiveBvnaForm_AnsweredSectionBySection_CompletesCoveredInFourCalls()
    {
        var run = await new AdaptiveClient(fixture.Client).RunAsync(CaseBuilder.Empty("bvna-097", "64628").Build(), CaseBuilder.ApprovableBvna());

        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, run.Final.Status);
        Assert.Equal("covered", Outcome.Of(run.Final).Covered);

        // Member, indications (P6), exclusions (P7): one call each, then the decision.
        Assert.Equal(4, run.Calls);
        Assert.Equal([1, 3, 16], run.Steps.Select(s => s.Count));
        Assert.Equal(["member-age"], run.Steps[0]);
        Assert.Contains("bvna-modic-changes-l3-s1", run.Steps[1]);
        Assert.Contains("bvna-bmi", run.Steps[2]);

        // Gated by askedWhen (all gates answered "no"): never asked.
        Assert.DoesNotContain("bvna-spondylolisthesis-mm", run.Asked);
        Assert.DoesNotContain("bvna-pregnancy", run.Asked);
        Assert.DoesNotContain("bvna-previously-treated-levels", run.Asked);
    }

    [Fact]
    public async Task NextQuestion_SectionStep_NestsTheQuestionsUnderTheirSectionWithoutEnableWhen()
    {
        var reply = await FhirHttp.PostAsync(fixture.Client, Path, CaseBuilder.Empty("bvna-097", "64628").Age(45).Build());

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var response = reply.As<QuestionnaireResponse>();
        var pending = AdaptiveClient.Pending(response);
        Assert.Equal(["bvna-chronic-low-back-pain-6-months", "bvna-failed-conservative-care-6-months", "bvna-modic-changes-l3-s1"], pending.Select(q => q.LinkId));
        var sections = AdaptiveClient.SectionOfEachQuestion(response);
        Assert.All(pending, q => Assert.Equal("p6-bvna", sections[q.LinkId!]));
        Assert.Equal("member-age", Assert.Single(Assert.Single(response.Item, i => i.LinkId == "member").Item).LinkId);
        Assert.Empty(AdaptiveClient.Questions(Assert.Single(response.Contained.OfType<Questionnaire>()).Item).SelectMany(i => i.EnableWhen));
    }

    [Fact]
    [Trait("Clause", "P7.8")]
    public async Task AdaptiveBvnaForm_WhenSpondylolisthesisIsPresent_AsksItsMillimetresNext()
    {
        var qr = CaseBuilder.ApprovableBvna().With("bvna-spondylolisthesis", true).Without("bvna-spondylolysis").Build();

        var reply = await FhirHttp.PostAsync(fixture.Client, Path, qr);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        var response = reply.As<QuestionnaireResponse>();
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.InProgress, response.Status);
        var adaptive = Assert.Single(response.Contained.OfType<Questionnaire>());
        Assert.Equal(["bvna-spondylolisthesis-mm", "bvna-spondylolysis"], AdaptiveClient.Pending(response).Select(q => q.LinkId));
        Assert.Empty(AdaptiveClient.Questions(adaptive.Item).SelectMany(i => i.EnableWhen));
        Assert.Equal($"#{adaptive.Id}", response.Questionnaire);
    }

    [Fact]
    [Trait("Clause", "P7.1")]
    public async Task AdaptiveBvnaForm_WhenASectionAnswersAnExclusion_StopsNotCoveredWithoutAskingItsFollowUps()
    {
        var script = CaseBuilder.ApprovableBvna().With("bvna-radicular-pain", true).With("bvna-spondylolisthesis", true).WithDecimal("bvna-spondylolisthesis-mm", 1m);

        var run = await new AdaptiveClient(fixture.Client).RunAsync(CaseBuilder.Empty("bvna-097", "64628").Build(), script);

        var outcome = Outcome.Of(run.Final);
        Assert.True(outcome.Covered == "not-covered" && outcome.HasReasonFor("P7.1"), outcome.ToString());
        Assert.Contains("bvna-radicular-pain", run.Steps[^1]);
        Assert.DoesNotContain("bvna-spondylolisthesis-mm", run.Asked);
    }

    [Fact]
    [Trait("Clause", "P7.8")]
    public async Task NextQuestion_AnswerToADisabledItem_Returns400NamingIt()
    {
        var qr = CaseBuilder.ApprovableBvna().WithDecimal("bvna-spondylolisthesis-mm", 1m).Build();

        var reply = await FhirHttp.PostAsync(fixture.Client, Path, qr);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        var outcome = reply.As<OperationOutcome>();
        Assert.Contains(outcome.Issue, i => (i.Diagnostics ?? string.Empty).Contains("bvna-spondylolisthesis-mm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NextQuestion_ParametersWrappingTheResponse_IsAcceptedLikeABareResponse()
    {
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "questionnaire-response", Resource = CaseBuilder.ApprovableEsi().Build() });

        var reply = await FhirHttp.PostAsync(fixture.Client, Path, parameters);

        Assert.Equal(HttpStatusCode.OK, reply.Status);
        Assert.Equal("covered", Outcome.Of(reply.As<QuestionnaireResponse>()).Covered);
    }

    [Theory]
    [InlineData("{\"resourceType\":\"Patient\",\"id\":\"p\"}")]
    [InlineData("{\"resourceType\":\"Parameters\",\"parameter\":[]}")]
    [InlineData("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\"}")]
    [InlineData("{ not json")]
    [InlineData("{\"resourceType\":\"QuestionnaireResponse\",\"status\":\"in-progress\",\"questionnaire\":\"https://spinepolicy.example.org/fhir/Questionnaire/bvna-097\",\"item\":[{\"linkId\":\"no-such-item\",\"answer\":[{\"valueBoolean\":true}]}]}")]
    public async Task NextQuestion_InvalidInput_Returns400OperationOutcome(string body)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, Path, body);

        Assert.Equal(HttpStatusCode.BadRequest, reply.Status);
        Assert.NotEmpty(reply.As<OperationOutcome>().Issue);
    }

    [Theory]
    [InlineData("dtr/next_question_initial_input_params_conformant.json")]
    [InlineData("dtr/next_question_initial_input_params_nonconformant.json")]
    [InlineData("dtr/questionnaire_response_conformant.json")]
    [InlineData("dtr/dinner_questionnaire_response_conformant.json")]
    public async Task NextQuestion_InfernoInputs_AreAnsweredWithAClientErrorNotA500(string fixturePath)
    {
        var reply = await FhirHttp.PostRawAsync(fixture.Client, Path, RepositoryPaths.ReadInferno(fixturePath));

        // Inferno's dinner questionnaires are not ours: a clear 4xx, never a 5xx.
        Assert.InRange((int)reply.Status, 400, 499);
        Assert.NotEmpty(reply.As<OperationOutcome>().Issue);
    }
}
