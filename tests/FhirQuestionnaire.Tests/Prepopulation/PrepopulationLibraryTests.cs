using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Tests.Authoring;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Prepopulation;

/// <summary>
/// The published Library's hand-written ELM runs in the reference engine (cql-execution with
/// cql-exec-fhir) and returns what the EHR record says; its CQL and ELM define the same names, and
/// every initialExpression names one of them.
/// </summary>
public sealed partial class PrepopulationLibraryTests
{
    private const string LibraryFile = "Library-spinepolicy-prepopulation.json";

    [Fact]
    [Trait("Clause", "P7.11")]
    public async Task PublishedElm_RunAgainstTestPatients_ReturnsAgeLatestBmiPregnancyAndSurgery()
    {
        var results = await EvaluateAsync();

        var candidate = results.GetProperty("bvna-candidate");
        Assert.Equal(46, candidate.GetProperty("AgeInYears").GetInt32());
        Assert.Equal(41.2m, candidate.GetProperty("LatestBodyMassIndex").GetDecimal()); // the later of two final BMIs, not the preliminary 55
        Assert.True(candidate.GetProperty("PregnancyPossible").GetBoolean());
        Assert.True(candidate.GetProperty("Pregnant").GetBoolean());
        Assert.True(candidate.GetProperty("PriorLumbarSurgery").GetBoolean());

        var youngMan = results.GetProperty("young-man");
        Assert.Equal(24, youngMan.GetProperty("AgeInYears").GetInt32()); // 25 tomorrow (P6)
        Assert.Equal(40m, youngMan.GetProperty("LatestBodyMassIndex").GetDecimal());
        Assert.False(youngMan.GetProperty("PregnancyPossible").GetBoolean());
        Assert.False(youngMan.GetProperty("Pregnant").GetBoolean()); // a resolved pregnancy code does not count
        Assert.False(youngMan.GetProperty("PriorLumbarSurgery").GetBoolean()); // a fusion in preparation is not a prior surgery
    }

    [Fact]
    [Trait("Clause", "P7.11")]
    [Trait("Clause", "P7.2")]
    [Trait("Clause", "P7.14")]
    public async Task PublishedElm_RecordsAsEhrsKeepThem_ReadsPeriodBmiSnomedSurgeryAndPregnancyObservations()
    {
        var results = await EvaluateAsync();

        var recorded = results.GetProperty("recorded-by-period");
        Assert.Equal(42.5m, recorded.GetProperty("LatestBodyMassIndex").GetDecimal()); // effectivePeriod (2026) beats effectiveDateTime (2025)
        Assert.True(recorded.GetProperty("PriorLumbarSurgery").GetBoolean()); // SNOMED CT 277764006
        Assert.True(recorded.GetProperty("Pregnant").GetBoolean()); // the latest pregnancy status Observation says pregnant

        var notNow = results.GetProperty("no-longer-pregnant");
        Assert.False(notNow.GetProperty("Pregnant").GetBoolean()); // the latest status says not pregnant; the Condition is refuted
    }

    [Fact]
    [Trait("Clause", "P7.14")]
    public async Task PublishedElm_PregnancyOnRecordWhateverTheGender_OpensThePregnancyQuestion()
    {
        var results = await EvaluateAsync();

        // The pregnancy item is enabled only when "could be pregnant" is yes: a pregnancy on record
        // must answer that gate too, or the DTR app hides (and drops) the exclusion it found.
        var recordedOther = results.GetProperty("pregnant-gender-other");
        Assert.True(recordedOther.GetProperty("Pregnant").GetBoolean());
        Assert.True(recordedOther.GetProperty("PregnancyPossible").GetBoolean());
    }

    [Fact]
    [Trait("Clause", "P1")]
    [Trait("Clause", "P6")]
    [Trait("Clause", "P7.14")]
    public async Task PublishedElm_OrderWithADateOfService_CountsTheAgeOnThatDate()
    {
        var results = await EvaluateAsync();

        // Each member crosses a limit the policy uses between "today" (2026-06-01) and the order's date.
        Assert.Equal(18, results.GetProperty("turns-18-before-service").GetProperty("AgeInYears").GetInt32()); // occurrenceDateTime 2026-06-25 (P1)
        Assert.Equal(25, results.GetProperty("turns-25-before-service").GetProperty("AgeInYears").GetInt32()); // occurrencePeriod from 2026-06-10 (P6)
        var turning56 = results.GetProperty("turns-56-before-service"); // occurrenceTiming, first event 2026-06-20
        Assert.Equal(56, turning56.GetProperty("AgeInYears").GetInt32());
        Assert.False(turning56.GetProperty("PregnancyPossible").GetBoolean()); // 55 today, 56 on the day (P7.14's screening age)
        Assert.Equal(25, results.GetProperty("born-on-leap-day").GetProperty("AgeInYears").GetInt32()); // born 2004-02-29, 2029-02-28 counts as the birthday

        // An order that states no date: today, as before.
        var undated = results.GetProperty("order-without-date");
        Assert.Equal("2026-06-01", undated.GetProperty("DateOfService").GetString());
        Assert.Equal(17, undated.GetProperty("AgeInYears").GetInt32());
    }

    [Fact]
    public void PublishedLibrary_CqlAndElm_DefineTheSameExpressions()
    {
        var (cql, elm) = Contents();

        var cqlNames = DefineRegex().Matches(cql).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var elmNames = ElmStatements(elm).Where(n => n != "Patient").ToHashSet(StringComparer.Ordinal);

        Assert.Equal(cqlNames.Order(StringComparer.Ordinal), elmNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Questionnaires_EveryInitialExpression_NamesAnExpressionOfTheLibrary()
    {
        var (_, elm) = Contents();
        var names = ElmStatements(elm).ToHashSet(StringComparer.Ordinal);
        var prefix = $"\"{DtrCanonicals.PrepopulationLibraryName}\".";

        foreach (var id in new[] { "bvna-097", "esi-097", "facet-097" })
        {
            var expressions = QuestionnaireItems.Flatten(ArtifactFiles.Questionnaire(id).Item)
                .SelectMany(i => i.Extension.Where(e => e.Url == DtrCanonicals.Extensions.InitialExpression))
                .Select(e => Assert.IsType<Expression>(e.Value))
                .ToList();
            Assert.NotEmpty(expressions);
            foreach (var expression in expressions)
            {
                Assert.Equal("text/cql", expression.Language);
                var text = expression.Expression_ ?? string.Empty;
                Assert.StartsWith(prefix, text, StringComparison.Ordinal);
                Assert.Contains(text[prefix.Length..], names);
            }
        }
    }

    /// <summary>The published ELM's values per test patient, run with "today" at 2026-06-01.</summary>
    internal static async Task<JsonElement> EvaluateAsync()
    {
        var patients = Directory.GetFiles(Path.Combine(NodeRunner.ProjectFolder, "patients"), "*.json").Order(StringComparer.Ordinal);
        var output = await NodeRunner.RunScriptAsync(
        [
            "--library", ArtifactFiles.PathOf(LibraryFile),
            "--valueset", ArtifactFiles.PathOf("ValueSet-lumbar-spine-surgery.json"),
            "--now", "2026-06-01T00:00:00Z",
            .. patients,
        ]);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static (string Cql, string Elm) Contents()
    {
        var library = ArtifactFiles.Read<Library>(LibraryFile);
        string Text(string type) => Encoding.UTF8.GetString(library.Content.Single(c => c.ContentType == type).Data!);
        return (Text("text/cql"), Text("application/elm+json"));
    }

    private static List<string> ElmStatements(string elm)
    {
        using var document = JsonDocument.Parse(elm);
        return document.RootElement.GetProperty("library").GetProperty("statements").GetProperty("def")
            .EnumerateArray().Select(d => d.GetProperty("name").GetString()!).ToList();
    }

    [GeneratedRegex("^define \"([^\"]+)\":", RegexOptions.Multiline)]
    private static partial Regex DefineRegex();
}
