using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.FhirQuestionnaire.Answers;

/// <summary>
/// A QuestionnaireResponse translated into the engine's terms: the service family its questionnaire
/// covers and the answers keyed by criterion code. Problems are reasons to reject the response.
/// </summary>
public sealed record QuestionnaireAnswers(
    Questionnaire? Questionnaire,
    string? FamilyCode,
    IReadOnlyDictionary<string, CriterionAnswer> Answers,
    IReadOnlyList<string> Problems)
{
    public bool IsValid => Problems.Count == 0 && FamilyCode is not null;
}
