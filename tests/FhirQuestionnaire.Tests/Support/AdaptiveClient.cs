using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>
/// Plays a DTR app through an adaptive form: each step, answers every newly asked question from a
/// script, nested under its section as a renderer would, and posts the response again.
/// </summary>
internal sealed class AdaptiveClient(HttpClient client)
{
    public sealed record Run(QuestionnaireResponse Final, int Calls, IReadOnlyList<IReadOnlyList<string>> Steps)
    {
        public IReadOnlyList<string> Asked => Steps.SelectMany(s => s).ToList();
    }

    public async Task<Run> RunAsync(QuestionnaireResponse start, CaseBuilder script, int maxCalls = 40)
    {
        var current = start;
        var steps = new List<IReadOnlyList<string>>();
        for (var call = 1; call <= maxCalls; call++)
        {
            var reply = await FhirHttp.PostAsync(client, DecisionSteps.NextQuestion, current);
            Assert.True(reply.Status == HttpStatusCode.OK, $"call {call}: {(int)reply.Status} {reply.Body}");
            var response = reply.As<QuestionnaireResponse>();
            if (response.Status == QuestionnaireResponse.QuestionnaireResponseStatus.Completed)
            {
                return new Run(response, call, steps);
            }

            var pending = Pending(response);
            Assert.NotEmpty(pending);
            steps.Add(pending.Select(q => q.LinkId!).ToList());
            foreach (var question in pending)
            {
                var answers = script.AnswerFor(question.LinkId!) ?? throw new Xunit.Sdk.XunitException($"The script has no answer for {question.LinkId}, which the form asked.");
                Answer(response, question.LinkId!, answers);
            }

            current = response;
        }

        throw new Xunit.Sdk.XunitException($"The adaptive form did not complete within {maxCalls} calls.");
    }

    /// <summary>The questions the contained form asks that the response does not answer yet.</summary>
    public static List<Questionnaire.ItemComponent> Pending(QuestionnaireResponse response)
    {
        var form = Assert.Single(response.Contained.OfType<Questionnaire>());
        var answered = Flatten(response.Item).Where(i => i.Answer.Count > 0).Select(i => i.LinkId).ToHashSet();
        return Questions(form.Item).Where(q => !answered.Contains(q.LinkId)).ToList();
    }

    /// <summary>Top-level section linkId of each question the contained form holds.</summary>
    public static Dictionary<string, string> SectionOfEachQuestion(QuestionnaireResponse response)
    {
        var form = Assert.Single(response.Contained.OfType<Questionnaire>());
        return form.Item.SelectMany(section => Questions([section]).Select(q => (q.LinkId!, section.LinkId!)))
            .ToDictionary(p => p.Item1, p => p.Item2);
    }

    public static IEnumerable<Questionnaire.ItemComponent> Questions(IEnumerable<Questionnaire.ItemComponent> items) =>
        items.SelectMany(i => i.Type == Questionnaire.QuestionnaireItemType.Group ? Questions(i.Item) : [i]);

    public static IEnumerable<QuestionnaireResponse.ItemComponent> Flatten(IEnumerable<QuestionnaireResponse.ItemComponent> items) =>
        items.SelectMany(i => Flatten(i.Item).Prepend(i));

    /// <summary>Adds the answer where the contained form puts the question: inside its section's group item.</summary>
    private static void Answer(QuestionnaireResponse response, string linkId, IReadOnlyList<DataType> values)
    {
        var form = Assert.Single(response.Contained.OfType<Questionnaire>());
        var path = PathTo(form.Item, linkId) ?? throw new Xunit.Sdk.XunitException($"{linkId} is not in the contained form.");
        var items = response.Item;
        foreach (var group in path.SkipLast(1))
        {
            var item = items.FirstOrDefault(i => i.LinkId == group.LinkId);
            if (item is null)
            {
                item = new QuestionnaireResponse.ItemComponent { LinkId = group.LinkId, Text = group.Text };
                items.Add(item);
            }

            items = item.Item;
        }

        items.Add(new QuestionnaireResponse.ItemComponent
        {
            LinkId = linkId,
            Answer = values.Select(v => new QuestionnaireResponse.AnswerComponent { Value = (DataType)v.DeepCopy() }).ToList(),
        });
    }

    private static List<Questionnaire.ItemComponent>? PathTo(IEnumerable<Questionnaire.ItemComponent> items, string linkId)
    {
        foreach (var item in items)
        {
            if (item.LinkId == linkId)
            {
                return [item];
            }

            if (PathTo(item.Item, linkId) is { } below)
            {
                return [item, .. below];
            }
        }

        return null;
    }
}
