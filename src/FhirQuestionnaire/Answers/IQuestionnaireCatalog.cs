using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Answers;

/// <summary>The Questionnaires we publish (fhir-resources/), found by canonical URL.</summary>
public interface IQuestionnaireCatalog
{
    /// <summary>
    /// By "url" or "url|version"; a version we published before and have since superseded finds
    /// the current version of the same form (a response to the older form answers a subset of its
    /// items). Null when the questionnaire was never ours.
    /// </summary>
    Questionnaire? Find(string canonical);

    IReadOnlyList<Questionnaire> All { get; }
}
