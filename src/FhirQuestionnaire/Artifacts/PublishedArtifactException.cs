namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>A published artefact is unreadable or inconsistent; the host must not start.</summary>
internal sealed class PublishedArtifactException : Exception
{
    public PublishedArtifactException(IReadOnlyList<string> problems)
        : base($"The DTR artefacts in fhir-resources are not usable:{Environment.NewLine}- {string.Join($"{Environment.NewLine}- ", problems)}")
    {
        Problems = problems;
    }

    public PublishedArtifactException() : this(["unknown problem"]) { }

    public PublishedArtifactException(string message) : this([message]) { }

    public PublishedArtifactException(string message, Exception innerException) : base(message, innerException)
    {
        Problems = [message];
    }

    public IReadOnlyList<string> Problems { get; }
}
