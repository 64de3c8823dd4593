using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Support;

namespace SpinePolicy.FhirQuestionnaire.Tests.Decisions;

/// <summary>Posts a fully answered response to $next-question and reads the decision it completes with.</summary>
internal static class DecisionSteps
{
    public const string NextQuestion = "/fhir/Questionnaire/$next-question";

    public static async Task<Outcome> DecideAsync(HttpClient client, CaseBuilder @case)
    {
        var reply = await FhirHttp.PostAsync(client, NextQuestion, @case.Build());
        Assert.True(reply.Status == HttpStatusCode.OK, $"$next-question answered {(int)reply.Status}: {reply.Body}");
        var response = reply.As<QuestionnaireResponse>();
        Assert.Equal(QuestionnaireResponse.QuestionnaireResponseStatus.Completed, response.Status);
        return Outcome.Of(response);
    }
}
