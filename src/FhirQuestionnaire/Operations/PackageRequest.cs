using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>The inputs of $questionnaire-package (DTR 2.0.1), read from its Parameters.</summary>
internal sealed record PackageRequest(
    Coverage Coverage,
    IReadOnlyList<Resource> Orders,
    IReadOnlyList<Resource> Referenced,
    IReadOnlyList<string> Questionnaires,
    string? Context,
    DateTimeOffset? ChangedSince);
