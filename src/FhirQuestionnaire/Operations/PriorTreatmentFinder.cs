using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.PolicyEngine;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// P7.16: the vertebral levels of the member's earlier BVNA cases that this payer approved (completed
/// BVNA responses stored by $next-question whose coverage-information says "covered").
/// </summary>
public sealed class PriorTreatmentFinder(Policy policy, IQuestionnaireCatalog catalog, IServiceProvider services)
{
    private const string TreatedLevels = "bvna-treated-levels";

    public async Task<IReadOnlyList<string>> PreviouslyTreatedLevelsAsync(string? patientId, CancellationToken cancellationToken)
    {
        var store = services.GetService<IResourceStore>();
        if (store is null || string.IsNullOrEmpty(patientId))
        {
            return [];
        }

        var bvnaUrl = policy.Family("bvna").Questionnaire.Url;
        var page = await store.SearchAsync(new ResourceSearch("QuestionnaireResponse") { PatientId = patientId, Status = "completed", Count = 100 }, cancellationToken);
        var levels = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var stored in page.Resources.Where(r => !r.Deleted))
        {
            QuestionnaireResponse response;
            try
            {
                response = FhirJson.Parse<QuestionnaireResponse>(stored.Json);
            }
            catch (FhirInputException)
            {
                continue;
            }

            var canonical = ResponseQuestionnaire.CanonicalOf(response);
            if (canonical?.Split('|')[0] != bvnaUrl || !WasCovered(response) || catalog.Find(canonical) is not { } questionnaire)
            {
                continue;
            }

            var linkId = QuestionnaireItems.Flatten(questionnaire.Item)
                .FirstOrDefault(i => i.Code.Any(c => c.System == policy.Document.CriteriaSystem && c.Code == TreatedLevels))?.LinkId;
            foreach (var item in ResponseQuestionnaire.Flatten(response.Item).Where(i => i.LinkId == linkId))
            {
                foreach (var answer in item.Answer)
                {
                    if (answer.Value is Coding { Code: { } level } coding && coding.System == policy.Document.LevelSystem)
                    {
                        levels.Add(level);
                    }
                }
            }
        }

        return levels.ToList();
    }

    private static bool WasCovered(QuestionnaireResponse response) =>
        response.Extension
            .Where(e => e.Url == DtrCanonicals.Extensions.CoverageInformation)
            .SelectMany(e => e.Extension)
            .Any(e => e.Url == "covered" && e.Value is Code { Value: "covered" });
}
