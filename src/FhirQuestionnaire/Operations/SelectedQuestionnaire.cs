using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// A standard questionnaire a package serves, the orders ("Type/id") its draft response is for,
/// and the forms the request named (null: the configured forms).
/// </summary>
internal sealed record SelectedQuestionnaire(Questionnaire Questionnaire, List<string> OrderReferences, QuestionnaireForms? Forms);
