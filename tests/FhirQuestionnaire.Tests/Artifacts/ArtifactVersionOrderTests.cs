using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using Xunit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Artifacts;

/// <summary>
/// A form's tenth revision in a month (2026.01.10) is newer than its ninth. Compared as text it was
/// older: a canonical without a version served the ninth, and the tenth counted as superseded by it.
/// </summary>
public sealed class ArtifactVersionOrderTests : IDisposable
{
    private const string Url = "https://spinepolicy.example.org/fhir/Questionnaire/version-order-probe";
    private readonly string _directory = Directory.CreateTempSubdirectory("artifact-order-").FullName;

    [Fact]
    public void CanonicalWithoutVersion_NamesTheNumericallyNewestForm()
    {
        var artifacts = new PublishedArtifacts([Form("2026.01.9"), Form("2026.01.10"), Form("2025.12.2")]);

        Assert.Equal("2026.01.10", artifacts.FindExact<Questionnaire>(Url)!.Version);
    }

    [Fact]
    public void Ledger_VersionsBeforeTheTenth_AreSupersededAndTheTenthIsNot()
    {
        File.WriteAllText(Path.Combine(_directory, ArtifactVersionHistory.FileName), $$"""
            { "artifacts": [
              { "url": "{{Url}}", "version": "2026.01.9", "sha256": "" },
              { "url": "{{Url}}", "version": "2026.01.10", "sha256": "" },
              { "url": "{{Url}}", "version": "2026.02.0", "sha256": "" } ] }
            """);
        var problems = new List<string>();

        var history = ArtifactVersionHistory.Read(_directory, problems);

        Assert.Empty(problems);
        Assert.Equal(["2026.01.9"], history.SupersededBy(Url, "2026.01.10"));
        Assert.Equal(["2026.01.10", "2026.01.9"], history.SupersededBy(Url, "2026.02.0").Order(ArtifactVersionOrder.Instance).Reverse());
        Assert.Empty(history.SupersededBy(Url, "2026.01.9"));
    }

    [Theory]
    [InlineData("2026.01.9", "2026.01.10")]
    [InlineData("2025.12.30", "2026.01.0")]
    [InlineData("2026.01", "2026.01.0")]
    [InlineData("2026.01.9", "2026.01.x")]
    public void Compare_OlderBeforeNewer_InBothDirections(string older, string newer)
    {
        Assert.True(ArtifactVersionOrder.Instance.Compare(older, newer) < 0);
        Assert.True(ArtifactVersionOrder.Instance.Compare(newer, older) > 0);
        Assert.Equal(0, ArtifactVersionOrder.Instance.Compare(newer, newer));
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private static Questionnaire Form(string version) => new()
    {
        Id = $"version-order-probe-{version.Replace('.', '-')}",
        Url = Url,
        Version = version,
        Status = PublicationStatus.Active,
    };
}
