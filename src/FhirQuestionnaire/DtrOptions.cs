namespace SpinePolicy.FhirQuestionnaire;

/// <summary>Configuration section "Dtr".</summary>
public sealed class DtrOptions
{
    public const string SectionName = "Dtr";

    /// <summary>
    /// Folder of the published artefacts ({Type}-{id}.json); relative paths are from the content
    /// root. Empty: the fhir-resources folder the host ships next to its binaries.
    /// </summary>
    public string? ArtifactsPath { get; init; }
}
