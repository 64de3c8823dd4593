using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>Cross-resource checks over the loaded artefacts, each problem a readable sentence.</summary>
internal static class PublishedArtifactChecks
{
    public static void Check(PublishedArtifacts artifacts, Policy policy, List<string> problems)
    {
        foreach (var family in policy.Document.ServiceFamilies)
        {
            if (artifacts.FindExact<Questionnaire>(family.Questionnaire.Versioned) is null)
            {
                problems.Add($"Service family '{family.Code}' names questionnaire {family.Questionnaire.Versioned}, which is not published.");
            }
        }

        foreach (var questionnaire in artifacts.All)
        {
            CheckQuestionnaire(artifacts, policy, questionnaire, problems);
        }

        foreach (var library in artifacts.OfType("Library").Cast<Library>())
        {
            CheckLibrary(artifacts, library, problems);
        }
    }

    private static void CheckQuestionnaire(PublishedArtifacts artifacts, Policy policy, Questionnaire questionnaire, List<string> problems)
    {
        var name = $"Questionnaire/{questionnaire.Id}";
        foreach (var library in questionnaire.Extension.Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary))
        {
            if (library.Value is not Canonical { Value: { } canonical } || artifacts.FindExact<Library>(canonical) is null)
            {
                problems.Add($"{name}: cqf-library {library.Value} is not a published Library.");
            }
        }

        var family = policy.FindFamilyByQuestionnaire(questionnaire.Url ?? string.Empty);
        var items = QuestionnaireItems.Flatten(questionnaire.Item).ToList();
        var linkIds = items.Select(i => i.LinkId).ToHashSet(StringComparer.Ordinal);
        foreach (var item in items)
        {
            if (item.AnswerValueSet is { } valueSet && artifacts.FindExact<ValueSet>(valueSet) is null)
            {
                problems.Add($"{name}: item {item.LinkId} answers from {valueSet}, which is not a published ValueSet.");
            }

            foreach (var condition in item.EnableWhen.Where(c => !linkIds.Contains(c.Question)))
            {
                problems.Add($"{name}: item {item.LinkId} is enabled by '{condition.Question}', which is not an item.");
            }

            foreach (var code in item.Code.Where(c => c.System == policy.Document.CriteriaSystem))
            {
                var criterion = policy.FindCriterion(code.Code ?? string.Empty);
                if (criterion is null || criterion.Family != family?.Code)
                {
                    problems.Add($"{name}: item {item.LinkId} carries criterion code '{code.Code}', which is not a criterion of this questionnaire's service family.");
                }
            }
        }
    }

    private static void CheckLibrary(PublishedArtifacts artifacts, Library library, List<string> problems)
    {
        var name = $"Library/{library.Id}";

        // DTR: a Library carries its CQL and the compiled ELM, so any DTR client can run it.
        foreach (var contentType in (string[])["text/cql", "application/elm+json"])
        {
            if (!library.Content.Any(c => c.ContentType == contentType && c.Data is { Length: > 0 }))
            {
                problems.Add($"{name} has no {contentType} content.");
            }
        }

        foreach (var dependency in library.RelatedArtifact.Where(r => r.Type == RelatedArtifact.RelatedArtifactType.DependsOn))
        {
            if (dependency.Resource is not { } canonical || artifacts.FindExact<ValueSet>(canonical) is null && artifacts.FindExact<Library>(canonical) is null)
            {
                problems.Add($"{name} depends on {dependency.Resource}, which is not published.");
            }
        }
    }
}
