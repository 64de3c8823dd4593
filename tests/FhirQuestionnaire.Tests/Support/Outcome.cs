using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>The coverage-information a completed response carries, as a test reads it.</summary>
public sealed record Outcome(string Covered, string? PaNeeded, IReadOnlyList<string> Reasons)
{
    public static Outcome Of(QuestionnaireResponse response)
    {
        var extension = Assert.Single(response.Extension, e => e.Url == DtrCanonicals.Extensions.CoverageInformation);
        string? Code(string url) => extension.Extension.FirstOrDefault(e => e.Url == url)?.Value is Code { Value: { } value } ? value : null;
        var reasons = extension.Extension.Where(e => e.Url == "reason").Select(e => (e.Value as CodeableConcept)?.Text ?? string.Empty).ToList();
        return new Outcome(Code("covered") ?? "(none)", Code("pa-needed"), reasons);
    }

    public bool HasReasonFor(string clause) => Reasons.Any(r => r.StartsWith($"{clause}:", StringComparison.Ordinal));

    public override string ToString() => $"{Covered} [{string.Join(" | ", Reasons)}]";
}
