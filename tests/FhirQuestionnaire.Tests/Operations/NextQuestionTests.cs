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
    public async Task AdaptiveBvnaForm_AnsweredQuestionByQuestion_CompletesCoveredWithoutAskingGatedQuestions()
    {
        var script = CaseBuilder.ApprovableBvna();

        var (final, rounds, asked) = await RunAsync(CaseBuilder.Empty("bvna-097", "64628").Build(), script);

        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, final.Status);
        Assert.Equal("covered", Outcome.Of(final).Covered);

        // Gated by askedWhen (all gates answered "no"): never asked.
        Assert.DoesNotContain("bvna-spondylolisthesis-mm", asked);
        Assert.DoesNotContain("bvna-pregnancy", asked);
        Assert.DoesNotContain("bvna-previously-treated-levels", asked);
        Assert.Equal(20, asked.Count);
        Assert.Equal(asked.Count + 1, rounds);
    }

    [Fact]
    [Trait("Clause", "P7.1")]
    public async Task AdaptiveBvnaForm_WhenAnExclusionIsAnswered_StopsEarlyNotCovered()
    {
        var script = CaseBuilder.ApprovableBvna().With("bvna-radicular-pain", true);

        var (final, _, asked) = await RunAsync(CaseBuilder.Empty("bvna-097", "64628").Build(), script);

        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, final.Status);
        var outcome = Outcome.Of(final);
        Assert.True(outcome.Covered == "not-covered" && outcome.HasReasonFor("P7.1"), outcome.ToString());
        Assert.Equal("bvna-radicular-pain", asked[^1]);
        Assert.DoesNotContain("bvna-bmi", asked);
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
        var next = adaptive.Item.Single(i => response.Item.All(a => a.LinkId != i.LinkId));
        Assert.Equal("bvna-spondylolisthesis-mm", next.LinkId);
        Assert.Empty(adaptive.Item.SelectMany(i => i.EnableWhen));
        Assert.Equal($"#{adaptive.Id}", response.Questionnaire);
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

    /// <summary>Plays a DTR app: answers each newly asked question from the script and posts again.</summary>
    private async Task<(QuestionnaireResponse Final, int Rounds, List<string> Asked)> RunAsync(QuestionnaireResponse start, CaseBuilder script)
    {
        var current = start;
        var asked = new List<string>();
        for (var round = 1; round <= 40; round++)
        {
            var reply = await FhirHttp.PostAsync(fixture.Client, Path, current);
            Assert.True(reply.Status == HttpStatusCode.OK, $"round {round}: {(int)reply.Status} {reply.Body}");
            var response = reply.As<QuestionnaireResponse>();
            if (response.Status == QuestionnaireResponse.QuestionnaireResponseStatus.Completed)
            {
                return (response, round, asked);
            }

            var adaptive = Assert.Single(response.Contained.OfType<Questionnaire>());
            var pending = adaptive.Item.Where(i => response.Item.All(a => a.LinkId != i.LinkId)).ToList();
            var question = Assert.Single(pending);
            var answers = script.AnswerFor(question.LinkId!) ?? throw new Xunit.Sdk.XunitException($"The script has no answer for {question.LinkId}, which the form asked.");
            asked.Add(question.LinkId!);
            response.Item.Add(new QuestionnaireResponse.ItemComponent
            {
                LinkId = question.LinkId,
                Answer = answers.Select(a => new QuestionnaireResponse.AnswerComponent { Value = (DataType)a.DeepCopy() }).ToList(),
            });
            current = response;
        }

        throw new Xunit.Sdk.XunitException("The adaptive form did not complete within 40 rounds.");
    }
}
