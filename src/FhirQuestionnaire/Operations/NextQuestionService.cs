using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// SDC/DTR adaptive forms ($next-question): given the answers so far, adds the next step to the
/// contained adaptive Questionnaire — every question the policy still needs from the next section
/// (or one question, as configured) — or, once the answers decide the case (an exclusion, a
/// threshold, or every needed answer given), completes the response and attaches the
/// coverage-information outcome. It never asks what the policy does not need.
/// </summary>
internal sealed class NextQuestionService(
    QuestionnaireResponseEvaluator evaluator,
    IOptions<DtrOptions> options,
    TimeProvider time,
    IServiceProvider services,
    ILogger<NextQuestionService> logger)
{
    public const string ResponseParameter = "questionnaire-response";

    /// <param name="caller">Whose decided response this is: it is filed under the caller's organization.</param>
    public async Task<QuestionnaireResponse> NextAsync(Resource input, FhirCaller caller, CancellationToken cancellationToken)
    {
        var response = input switch
        {
            QuestionnaireResponse qr => qr,
            Parameters parameters => OperationParameters.Check(parameters, "Questionnaire/$next-question", [ResponseParameter]).Parameter.FirstOrDefault(p => p.Name == ResponseParameter)?.Resource as QuestionnaireResponse
                ?? throw FhirHttpException.BadRequest($"The Parameters must carry a '{ResponseParameter}' parameter holding a QuestionnaireResponse."),
            _ => throw FhirHttpException.BadRequest($"$next-question takes Parameters or a QuestionnaireResponse, not {input.TypeName}."),
        };

        var evaluation = evaluator.Evaluate(response);
        if (await MemberHistoryAsync(response, evaluation, caller, cancellationToken) is { } history)
        {
            // P7.16, P8: decide again with the member's other requests, as CRD and PAS do on the same facts.
            evaluation = evaluator.Evaluate(response, history);
        }

        var determination = evaluation.Determination;
        var answered = ResponseQuestionnaire.Flatten(response.Item)
            .Where(i => i.Answer.Count > 0)
            .GroupBy(i => i.LinkId!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var questions = QuestionnaireItems.Flatten(evaluation.Questionnaire.Item)
            .Where(i => i.Type != Questionnaire.QuestionnaireItemType.Group)
            .ToList();

        var next = Decides(determination) ? [] : NextStep(evaluation, questions, answered);
        var asked = questions.Where(q => answered.ContainsKey(q.LinkId!) || next.Contains(q)).Select(q => q.LinkId!).ToHashSet(StringComparer.Ordinal);
        var output = BuildResponse(response, evaluation, asked, answered, completed: next.Count == 0);
        if (next.Count == 0)
        {
            var facts = evaluation.Facts;
            var coverage = facts.CoverageReference is { } reference
                ? new ResourceReference(reference)
                : new ResourceReference { Display = "The member's coverage (not identified in the QuestionnaireResponse)" };
            var answer = CoverageAnswers.FromDetermination(determination, coverage, facts.Order?.CptCode, CoverageAssertionIds.New(), DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));
            output.Extension.Add(CoverageInformationExtension.Build(answer));
            // Kept for the organization's own later packages: a caller that acts for none (an
            // unbound token, another payer) has nowhere to file it, so nothing is stored for it,
            // and no one can plant answers about a member among those this payer's staff read.
            if (caller.OwnerKey is not null || caller.Unrestricted)
            {
                await RememberAsync(output, caller.OwnerKey, cancellationToken);
            }
        }

        DtrLog.NextQuestion(logger, evaluation.Questionnaire.Id, output.Status, determination.Outcome);
        return output;
    }

    /// <summary>
    /// The member's other requests this payer holds (pending or certified), when the family has a
    /// rule that looks at them (P8 concurrency, P7.16 repeat of a certified treatment) and the
    /// response names the member: its subject, or the subject of the order it documents. Only a
    /// provider or the payer's staff may have them weighed, as for the draft's prefill
    /// (<see cref="PriorTreatmentFinder"/>). Null when none applies or prior authorization is not hosted.
    /// </summary>
    private async Task<MemberHistory?> MemberHistoryAsync(QuestionnaireResponse response, ResponseEvaluation evaluation, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (evaluation.Facts.CriteriaOnly
            || evaluation.Determination.Outcome is DeterminationOutcome.Rejected or DeterminationOutcome.NotPayable or DeterminationOutcome.NoAuthorizationRequired
            || (evaluation.Family.Concurrency is null && evaluator.Policy.RepeatTreatmentExclusion(evaluation.Family.Code) is null)
            || !(caller.IsPayerStaff || caller.IsProvider)
            || services.GetService<IMemberHistory>() is not { } reader
            || MemberIdOf(response, evaluation.Facts.OrderReference) is not { } patientId)
        {
            return null;
        }

        return await reader.ReadAsync(patientId, null, HistoryViewer.Of(caller), cancellationToken);
    }

    /// <summary>The Patient id the member's requests name: the response's subject, else the subject of the contained order.</summary>
    private static string? MemberIdOf(QuestionnaireResponse response, string? orderReference)
    {
        var subject = response.Subject?.Reference;
        if (subject is null || subject.StartsWith('#'))
        {
            subject = ResponseQuestionnaire.Contained<Resource>(response, orderReference) switch
            {
                ServiceRequest request => request.Subject?.Reference,
                DeviceRequest request => request.Subject?.Reference,
                _ => null,
            };
        }

        const string prefix = "Patient/";
        return subject is not null && subject.StartsWith(prefix, StringComparison.Ordinal) && subject.Length > prefix.Length
            ? subject[prefix.Length..].Split('/')[0]
            : null;
    }

    /// <summary>An outcome no further answer can change: stop asking (early stop on an exclusion).</summary>
    private static bool Decides(Determination determination) => determination.Outcome is not DeterminationOutcome.Pended;

    /// <summary>The questions of the next step, in the questionnaire's order; empty when nothing more is needed.</summary>
    private List<Questionnaire.ItemComponent> NextStep(ResponseEvaluation evaluation, List<Questionnaire.ItemComponent> questions, Dictionary<string, QuestionnaireResponse.ItemComponent> answered)
    {
        var missing = evaluation.Determination.MissingCriteria.ToHashSet(StringComparer.Ordinal);
        var needed = questions
            .Where(q => !answered.ContainsKey(q.LinkId!))
            // The member's age is a fact the age limits need (P1, P6); ask it when nothing gave it.
            .Where(q => (q.LinkId == DtrCanonicals.MemberAgeLinkId && evaluation.Facts.Age == AgeFacts.Unknown)
                || q.Code.Any(c => c.Code is { } code && missing.Contains(code)))
            .ToList();
        if (needed.Count == 0 || options.Value.AdaptiveStep == AdaptiveStep.Question)
        {
            return needed.Take(1).ToList();
        }

        // A section at a time: the questions still needed from the first section that has any.
        // Questions gated on an answer of this step (askedWhen) come in a later step, once enabled.
        var sections = SectionsOf(evaluation.Questionnaire);
        var section = sections[needed[0].LinkId!];
        return needed.Where(q => sections[q.LinkId!] == section).ToList();
    }

    /// <summary>linkId of every question → linkId of the top-level section holding it.</summary>
    private static Dictionary<string, string> SectionsOf(Questionnaire questionnaire)
    {
        var sections = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var top in questionnaire.Item)
        {
            foreach (var item in QuestionnaireItems.Flatten([top]))
            {
                sections[item.LinkId!] = top.LinkId!;
            }
        }

        return sections;
    }

    private QuestionnaireResponse BuildResponse(QuestionnaireResponse input, ResponseEvaluation evaluation, IReadOnlySet<string> asked, Dictionary<string, QuestionnaireResponse.ItemComponent> answered, bool completed)
    {
        var adaptive = AdaptiveForm.Contained(evaluation.Questionnaire, asked, ContainedId(input, evaluation.Questionnaire));
        return new QuestionnaireResponse
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
            Item = AdaptiveForm.Items(adaptive.Item, answered.ToDictionary(a => a.Key, a => a.Value.Answer, StringComparer.Ordinal)),
        };
    }

    private static string ContainedId(QuestionnaireResponse input, Questionnaire published) =>
        ResponseQuestionnaire.Contained<Questionnaire>(input, input.Questionnaire)?.Id ?? $"adaptive-{published.Id}";

    /// <summary>Keeps a decided response so that later packages can pre-fill from it (e.g. P7.16).</summary>
    private async System.Threading.Tasks.Task RememberAsync(QuestionnaireResponse output, string? owner, CancellationToken cancellationToken)
    {
        var store = services.GetService<IResourceStore>();
        if (store is null || output.Subject?.Reference is null)
        {
            return;
        }

        var copy = (QuestionnaireResponse)output.DeepCopy();
        copy.Id = null;
        OwnerTag.Set(copy, owner);
        await store.SaveAsync([new ResourceWrite(copy)], cancellationToken);
    }
}
