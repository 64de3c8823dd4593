using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>A QuestionnaireResponse read and decided: which questionnaire, the answers, the facts, the decision.</summary>
internal sealed record ResponseEvaluation(
    Questionnaire Questionnaire,
    ServiceFamilyDefinition Family,
    QuestionnaireAnswers Answers,
    CaseFacts Facts,
    Determination Determination);
