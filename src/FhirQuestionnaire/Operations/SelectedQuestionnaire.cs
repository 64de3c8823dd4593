using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>A questionnaire a package serves, and the orders ("Type/id") its draft response is for.</summary>
internal sealed record SelectedQuestionnaire(Questionnaire Questionnaire, List<string> OrderReferences);
