using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>The inputs of $questionnaire-package (DTR 2.0.1), read from its Parameters.</summary>
/// <param name="Coverage">The Coverage the package is for: the first sent, until <see cref="PackageFactsReader.ForThisPayer"/> picks this payer's.</param>
internal sealed record PackageRequest(
    Coverage Coverage,
    IReadOnlyList<Resource> Orders,
    IReadOnlyList<Resource> Referenced,
    IReadOnlyList<string> Questionnaires,
    string? Context,
    DateTimeOffset? ChangedSince)
{
    /// <summary>Every Coverage sent (DTR allows several: a member insured by two payers), in order.</summary>
    public IReadOnlyList<Coverage> Coverages { get; init; } = [Coverage];
}
