using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Answers;

/// <summary>The Questionnaires we publish (fhir-resources/), found by canonical URL.</summary>
public interface IQuestionnaireCatalog
{
    /// <summary>By "url" or "url|version"; null when we publish no such questionnaire.</summary>
    Questionnaire? Find(string canonical);

    IReadOnlyList<Questionnaire> All { get; }
}
