using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>A package's draft QuestionnaireResponse and, in words, what it could not pre-fill.</summary>
public sealed record DraftResponse(QuestionnaireResponse Response, IReadOnlyList<string> NotPrefilled);
