using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// What a canonical a client sent resolves to: the artefact we serve, and — when the canonical
/// named a version we published before and have since superseded — that version, so an answer
/// can say the current one was used in its place.
/// </summary>
internal sealed record ResolvedCanonical<T>(T Resource, string? SupersededVersion)
    where T : class, IVersionableConformanceResource
{
    public bool IsSuperseded => SupersededVersion is not null;

    /// <summary>The informational sentence an answer carries when a superseded version was named.</summary>
    public string SupersessionNote() =>
        $"{((Resource)(object)Resource).TypeName} {Resource.Url}|{SupersededVersion} was superseded by version {Resource.Version}; " +
        $"its content is no longer served, and what names it (a CRD card, a stored context, a QuestionnaireResponse) is still accepted and handled with version {Resource.Version}.";
}
