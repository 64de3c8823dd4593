using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// The Libraries (cqf-library) and value sets (answerValueSet, a library's depends-on; expanded) a
/// published questionnaire needs, each once, version-pinned. They are the same in every package, so
/// they are found and expanded once per questionnaire and serialized once (<see cref="SerializedOnce"/>);
/// an expansion therefore keeps the identifier and timestamp of the moment it was made.
/// </summary>
internal sealed class PackageDependencies(PublishedArtifacts artifacts, ValueSetExpander expander)
{
    private readonly ConcurrentDictionary<Questionnaire, IReadOnlyList<Resource>> _byQuestionnaire = new(ReferenceEqualityComparer.Instance);

    /// <summary>Shared instances: never changed, by the contract of <see cref="PublishedArtifacts"/>.</summary>
    public IReadOnlyList<Resource> Of(Questionnaire questionnaire) => _byQuestionnaire.GetOrAdd(questionnaire, Find);

    private List<Resource> Find(Questionnaire questionnaire)
    {
        var libraries = questionnaire.Extension
            .Where(e => e.Url == DtrCanonicals.Extensions.CqfLibrary)
            .Select(e => e.Value is Canonical { Value: { } canonical } ? artifacts.FindExact<Library>(canonical) : null)
            .OfType<Library>()
            .ToList();
        var found = new List<Resource>(libraries);

        var valueSets = QuestionnaireItems.Flatten(questionnaire.Item).Select(i => i.AnswerValueSet)
            .Concat(libraries.SelectMany(l => l.RelatedArtifact).Where(r => r.Type == RelatedArtifact.RelatedArtifactType.DependsOn).Select(r => r.Resource))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal);
        foreach (var canonical in valueSets)
        {
            if (artifacts.FindExact<ValueSet>(canonical) is { } valueSet)
            {
                found.Add(expander.Expand(valueSet) is { } expanded ? SerializedOnce.Register(expanded) : valueSet);
            }
        }

        return found;
    }
}
