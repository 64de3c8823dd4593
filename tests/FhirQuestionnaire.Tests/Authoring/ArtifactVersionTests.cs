using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Tests.Authoring;

/// <summary>
/// A published url|version never changes content: each committed artefact matches the hash
/// fhir-resources/artifact-versions.json records for its version, so a change to the CQL, a
/// questionnaire or a code system that is not given a new version fails here.
/// </summary>
public sealed class ArtifactVersionTests
{
    [Fact]
    public void CommittedArtifacts_EveryVersion_HasTheContentRecordedForIt()
    {
        if (Environment.GetEnvironmentVariable("SPINEPOLICY_WRITE_ARTIFACTS") == "1")
        {
            // A new version is recorded without a hash; the regenerated artefact supplies it.
            ArtifactVersionLedger.RecordMissingHashes(ArtifactVersionLedger.FilePath, Committed());
        }

        var problems = ArtifactVersionLedger.Read(ArtifactVersionLedger.FilePath).Problems(Committed());

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    [Fact]
    public void CommittedArtifacts_ANewerVersion_CarriesALaterDateThanTheVersionItReplaced()
    {
        // FHIR: `date` changes when the business version changes. A client asking the package what
        // changed since a date learns of the new version only through it.
        var ledger = ArtifactVersionLedger.Committed;
        foreach (var artifact in Committed())
        {
            var versions = ledger.Entries.Where(e => e.Url == artifact.Url).Select(e => e.Version).Order(StringComparer.Ordinal).ToList();
            if (versions.Count < 2)
            {
                continue;
            }

            var date = artifact switch
            {
                Questionnaire q => q.Date,
                Library l => l.Date,
                CodeSystem c => c.Date,
                ValueSet v => v.Date,
                _ => null,
            };
            var recorded = ledger.DateOf(artifact.Url!, artifact.Version!);
            Assert.True(recorded is not null, $"{artifact.Url}|{artifact.Version} replaces {versions[^2]} but records no date in artifact-versions.json.");
            Assert.Equal(recorded, date);
            Assert.True(string.CompareOrdinal(date, ArtifactFiles.Policy.Document.Effective.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)) > 0, $"{artifact.Url}|{artifact.Version} is dated {date}, no later than the policy revision the version it replaced was dated by.");
        }
    }

    [Fact]
    public void LibraryWhoseCqlChanged_UnderTheSameVersion_IsReported()
    {
        // The guard is only worth having if it notices the change it exists for.
        var library = ArtifactFiles.Read<Library>("Library-spinepolicy-prepopulation.json");
        var cql = library.Content.Single(c => c.ContentType == "text/cql");
        cql.Data = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(cql.Data!).Replace("<= 55", "<= 50", StringComparison.Ordinal));

        var problem = Assert.Single(ArtifactVersionLedger.Committed.Problems([library]));

        Assert.Contains($"{DtrCanonicals.PrepopulationLibrary}|{library.Version}: its content changed", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void QuestionnaireOfANewVersionNotRecorded_IsReported()
    {
        var questionnaire = ArtifactFiles.Questionnaire("bvna-097");
        questionnaire.Version = "2026.02.0";

        var problem = Assert.Single(ArtifactVersionLedger.Committed.Problems([questionnaire]));

        Assert.Contains("0 entries in artifact-versions.json", problem, StringComparison.Ordinal);
    }

    [Fact]
    public void PrepopulationLibrary_CqlElmAndResource_CarryOneVersion()
    {
        var library = ArtifactFiles.Read<Library>("Library-spinepolicy-prepopulation.json");
        string Text(string type) => Encoding.UTF8.GetString(library.Content.Single(c => c.ContentType == type).Data!);

        Assert.Equal(ArtifactVersionLedger.Committed.CurrentVersion(DtrCanonicals.PrepopulationLibrary), library.Version);
        Assert.Contains($"library {DtrCanonicals.PrepopulationLibraryName} version '{library.Version}'", Text("text/cql"), StringComparison.Ordinal);
        using var elm = System.Text.Json.JsonDocument.Parse(Text("application/elm+json"));
        Assert.Equal(library.Version, elm.RootElement.GetProperty("library").GetProperty("identifier").GetProperty("version").GetString());
    }

    [Theory]
    [InlineData("esi-097")]
    [InlineData("facet-097")]
    [InlineData("bvna-097")]
    public void Questionnaire_CqfLibrary_CitesTheLibraryVersionPublished(string id)
    {
        var library = ArtifactFiles.Read<Library>("Library-spinepolicy-prepopulation.json");
        var cited = ArtifactFiles.Questionnaire(id).Extension.Single(e => e.Url == DtrCanonicals.Extensions.CqfLibrary);

        Assert.Equal($"{library.Url}|{library.Version}", Assert.IsType<Canonical>(cited.Value).Value);
    }

    private static List<IVersionableConformanceResource> Committed() =>
        new PublishedArtifactBuilder(ArtifactFiles.Policy).BuildAll()
            .Select(built => (IVersionableConformanceResource)ArtifactFiles.Read<Resource>(PublishedArtifactBuilder.FileName(built)))
            .ToList();
}
