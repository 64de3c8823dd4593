using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// SDC/DTR adaptive forms ($next-question): given the answers so far, adds the next question the
/// policy still needs to the contained adaptive Questionnaire, or — once the answers decide the case
/// (an exclusion, a threshold, or every needed answer given) — completes the response and attaches
/// the coverage-information outcome. It never asks what the policy does not need.
/// </summary>
public sealed class NextQuestionService(
    QuestionnaireResponseEvaluator evaluator,
    TimeProvider time,
    IServiceProvider services,
    ILogger<NextQuestionService> logger)
{
    public const string ResponseParameter = "questionnaire-response";

    public async Task<QuestionnaireResponse> NextAsync(Resource input, CancellationToken cancellationToken)
    {
        var response = input switch
        {
            QuestionnaireResponse qr => qr,
            Parameters parameters => parameters.Parameter.FirstOrDefault(p => p.Name == ResponseParameter)?.Resource as QuestionnaireResponse
                ?? throw new FhirInputException($"The Parameters must carry a '{ResponseParameter}' parameter holding a QuestionnaireResponse."),
            _ => throw new FhirInputException($"$next-question takes Parameters or a QuestionnaireResponse, not {input.TypeName}."),
        };

        var evaluation = evaluator.Evaluate(response);
        var determination = evaluation.Determination;
        var answered = ResponseQuestionnaire.Flatten(response.Item)
            .Where(i => i.Answer.Count > 0)
            .GroupBy(i => i.LinkId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var questions = QuestionnaireItems.Flatten(evaluation.Questionnaire.Item)
            .Where(i => i.Type != Questionnaire.QuestionnaireItemType.Group)
            .ToList();

        var next = Decides(determination) ? null : NextQuestion(evaluation, questions, answered);
        var asked = questions.Where(q => answered.ContainsKey(q.LinkId!) || q == next).ToList();
        var output = BuildResponse(response, evaluation, asked, answered, completed: next is null);
        if (next is null)
        {
            var assertionId = Guid.CreateVersion7().ToString("N");
            output.Extension.Add(CoverageInformationExtension.Build(determination, evaluation.Facts, assertionId, DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime)));
            await RememberAsync(output, cancellationToken);
        }

        DtrLog.NextQuestion(logger, evaluation.Questionnaire.Id, output.Status, determination.Outcome);
        return output;
    }

    /// <summary>An outcome no further answer can change: stop asking (early stop on an exclusion).</summary>
    private static bool Decides(Determination determination) => determination.Outcome is not DeterminationOutcome.Pended;

    private static Questionnaire.ItemComponent? NextQuestion(ResponseEvaluation evaluation, List<Questionnaire.ItemComponent> questions, Dictionary<string, QuestionnaireResponse.ItemComponent> answered)
    {
        var missing = evaluation.Determination.MissingCriteria.ToHashSet(StringComparer.Ordinal);
        foreach (var question in questions)
        {
            if (answered.ContainsKey(question.LinkId!))
            {
                continue;
            }

            // The member's age is a fact the age limits need (P1, P6); ask it when nothing gave it.
            if (question.LinkId == DtrCanonicals.MemberAgeLinkId && evaluation.Facts.AgeYears is null)
            {
                return question;
            }

            if (question.Code.Any(c => c.Code is { } code && missing.Contains(code)))
            {
                return question;
            }
        }

        return null;
    }

    private QuestionnaireResponse BuildResponse(QuestionnaireResponse input, ResponseEvaluation evaluation, List<Questionnaire.ItemComponent> asked, Dictionary<string, QuestionnaireResponse.ItemComponent> answered, bool completed)
    {
        var adaptive = AdaptiveQuestionnaire(evaluation.Questionnaire, asked, ContainedId(input, evaluation.Questionnaire));
        var output = new QuestionnaireResponse
        {
            Id = input.Id,
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.AdaptiveResponse] },
            Contained = input.Contained.Where(r => r is not Questionnaire).Select(r => (Resource)r.DeepCopy()).Prepend(adaptive).ToList(),
            Extension = input.Extension.Where(e => e.Url != DtrCanonicals.Extensions.CoverageInformation).Select(e => (Extension)e.DeepCopy()).ToList(),
            Identifier = (Identifier?)input.Identifier?.DeepCopy(),
            Questionnaire = $"#{adaptive.Id}",
            Status = completed ? QuestionnaireResponse.QuestionnaireResponseStatus.Completed : QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
            Subject = (ResourceReference?)input.Subject?.DeepCopy(),
            Encounter = (ResourceReference?)input.Encounter?.DeepCopy(),
            AuthoredElement = new FhirDateTime(time.GetUtcNow()),
            Author = (ResourceReference?)input.Author?.DeepCopy(),
            Source = (ResourceReference?)input.Source?.DeepCopy(),
        };

        foreach (var question in asked.Where(q => answered.ContainsKey(q.LinkId!)))
        {
            output.Item.Add(new QuestionnaireResponse.ItemComponent
            {
                LinkId = question.LinkId,
                Text = question.Text,
                Answer = answered[question.LinkId!].Answer.Select(a => (QuestionnaireResponse.AnswerComponent)a.DeepCopy()).ToList(),
            });
        }

        return output;
    }

    private static string ContainedId(QuestionnaireResponse input, Questionnaire published) =>
        ResponseQuestionnaire.Contained<Questionnaire>(input, input.Questionnaire)?.Id ?? $"adaptive-{published.Id}";

    /// <summary>The questions asked so far, without enableWhen: in an adaptive form the server decides what is asked.</summary>
    private static Questionnaire AdaptiveQuestionnaire(Questionnaire published, List<Questionnaire.ItemComponent> asked, string id)
    {
        var items = asked.Select(q =>
        {
            var copy = (Questionnaire.ItemComponent)q.DeepCopy();
            copy.EnableWhen.Clear();
            copy.EnableBehavior = null;
            return copy;
        }).ToList();

        return new Questionnaire
        {
            Id = id,
            Meta = new Meta { Profile = [DtrCanonicals.Profiles.AdaptiveQuestionnaire] },
            Text = new Narrative
            {
                Status = Narrative.NarrativeStatus.Generated,
                Div = $"<div xmlns=\"http://www.w3.org/1999/xhtml\">Adaptive form for {System.Net.WebUtility.HtmlEncode(published.Title)}: {items.Count} question(s) asked so far.</div>",
            },
            Extension =
            [
                new Extension(DtrCanonicals.Extensions.QuestionnaireAdaptive, new FhirBoolean(true)),
                .. published.Extension.Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary).Select(e => (Extension)e.DeepCopy()),
            ],
            DerivedFrom = [$"{published.Url}|{published.Version}"],
            Name = $"{published.Name}Adaptive",
            Title = $"{published.Title} (adaptive)",
            Status = PublicationStatus.Active,
            SubjectType = [ResourceType.Patient],
            Date = published.Date,
            Item = items,
        };
    }

    /// <summary>Keeps a decided response so that later packages can pre-fill from it (e.g. P7.16).</summary>
    private async System.Threading.Tasks.Task RememberAsync(QuestionnaireResponse output, CancellationToken cancellationToken)
    {
        var store = services.GetService<IResourceStore>();
        if (store is null || output.Subject?.Reference is null)
        {
            return;
        }

        var copy = (QuestionnaireResponse)output.DeepCopy();
        copy.Id = null;
        await store.SaveAsync([new ResourceWrite(copy)], cancellationToken);
    }
}
