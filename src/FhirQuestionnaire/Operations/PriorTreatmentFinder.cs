using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// P7.16: the vertebral levels of the member's earlier BVNA cases that this payer approved: completed
/// BVNA responses stored by $next-question whose coverage-information says "covered", and BVNA
/// requests this payer certified (PAS $submit or a reviewer's $review, through
/// <see cref="IMemberHistory"/> when prior authorization runs in the host).
/// </summary>
internal sealed class PriorTreatmentFinder(Policy policy, IQuestionnaireCatalog catalog, IServiceProvider services)
{
    private const string TreatedLevels = "bvna-treated-levels";

    /// <summary>
    /// Bounds the work one package request can cause. Past it the prefill simply says nothing about
    /// earlier BVNA (it never claims there was none); the clinician answers the question.
    /// </summary>
    private const int MaxResponsesRead = 2_000;

    /// <summary>
    /// Only responses the caller may see count: a provider's own organization's (another provider
    /// using the same local patient id must neither see nor feed this provider's form), every
    /// response for this payer's staff, none for anyone else.
    /// </summary>
    public async Task<IReadOnlyList<string>> PreviouslyTreatedLevelsAsync(string? patientId, FhirCaller caller, CancellationToken cancellationToken)
    {
        var store = services.GetService<IResourceStore>();
        if (store is null || string.IsNullOrEmpty(patientId) || !(caller.IsPayerStaff || caller.IsProvider))
        {
            return [];
        }

        var bvnaUrl = policy.Family("bvna").Questionnaire.Url;
        var levels = new SortedSet<string>(StringComparer.Ordinal);
        // P7.16: this payer's certifications are the payer's own decisions about the member, whoever requested them.
        if (services.GetService<IMemberHistory>() is { } history)
        {
            var held = await history.ReadAsync(patientId, null, HistoryViewer.Of(caller), cancellationToken);
            levels.UnionWith(held.Services
                .Where(s => s.Status == PriorServiceStatus.Certified && policy.FamilyOf(s.Service.CptCode)?.Code == "bvna")
                .SelectMany(s => s.TreatedLevels));
        }

        await foreach (var stored in CompletedResponsesAsync(store, patientId, caller.IsPayerStaff ? null : caller.OwnerKey, cancellationToken))
        {
            // Stored JSON is our own serialization (ResourceStamp), so a BVNA response that carries
            // a coverage determination holds both URLs verbatim. Most of a member's responses
            // (every PAS submission stores one) carry no determination, and parsing one costs
            // ~0.1 ms: 100 stored responses made $questionnaire-package 30x slower before this check.
            if (!stored.Json.Contains(bvnaUrl, StringComparison.Ordinal)
                || !stored.Json.Contains(DtrCanonicals.Extensions.CoverageInformation, StringComparison.Ordinal))
            {
                continue;
            }

            QuestionnaireResponse response;
            try
            {
                response = FhirJson.ParseStored<QuestionnaireResponse>(stored.Json);
            }
            catch (Hl7.Fhir.Serialization.DeserializationFailedException)
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

    /// <summary>
    /// Every completed response of the member, newest first, up to <see cref="MaxResponsesRead"/>:
    /// an approved BVNA must be found however many later responses (one per PAS submission) follow it.
    /// </summary>
    private static async IAsyncEnumerable<StoredResource> CompletedResponsesAsync(IResourceStore store, string patientId, string? owner, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var search = new ResourceSearch("QuestionnaireResponse") { PatientIds = [patientId], Statuses = ["completed"], OwnerKey = owner, Count = ResourceSearch.MaxCount };
        for (var read = 0; read < MaxResponsesRead;)
        {
            var page = await store.SearchAsync(search, cancellationToken);
            foreach (var stored in page.Resources.Where(r => !r.Deleted))
            {
                yield return stored;
            }

            read += page.Resources.Count;
            if (page.Next is null)
            {
                yield break;
            }

            search = search with { After = page.Next };
        }
    }

    private static bool WasCovered(QuestionnaireResponse response) =>
        response.Extension
            .Where(e => e.Url == DtrCanonicals.Extensions.CoverageInformation)
            .SelectMany(e => e.Extension)
            .Any(e => e.Url == "covered" && e.Value is Code { Value: "covered" });
}
