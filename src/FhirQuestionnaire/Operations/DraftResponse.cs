using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>A package's draft QuestionnaireResponse and, in words, what it could not pre-fill.</summary>
internal sealed record DraftResponse(QuestionnaireResponse Response, IReadOnlyList<string> NotPrefilled);
