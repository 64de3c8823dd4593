namespace SpinePolicy.FhirQuestionnaire;

/// <summary>Configuration of the DTR slice (section "Dtr").</summary>
internal sealed class DtrOptions
{
    public const string SectionName = "Dtr";

    /// <summary>
    /// Folder of the published artefacts ({Type}-{id}.json); relative paths are from the content
    /// root. Empty: the fhir-resources folder the host ships next to its binaries.
    /// </summary>
    public string? ArtifactsPath { get; init; }

    /// <summary>
    /// Which form a $questionnaire-package offers for a questionnaire the payer chose (by order or
    /// CRD context): the standard questionnaire, its adaptive twin, or both (two Bundles). A
    /// request that names a questionnaire's canonical gets exactly that form.
    /// </summary>
    public QuestionnaireForms PackageForms { get; init; } = QuestionnaireForms.Standard;

    /// <summary>How many questions one $next-question step adds: a section's worth, or one.</summary>
    public AdaptiveStep AdaptiveStep { get; init; } = AdaptiveStep.Section;
}

/// <summary>The questionnaire forms a package may offer (DTR 2.0.1: standard and adaptive).</summary>
internal enum QuestionnaireForms
{
    Standard,
    Adaptive,
    Both,
}

/// <summary>The size of an adaptive form's step.</summary>
internal enum AdaptiveStep
{
    /// <summary>Every question the policy still needs from the next section (Indications, Exclusions, …).</summary>
    Section,

    /// <summary>One question per call, stopping at the first answer that decides the case.</summary>
    Question,
}
