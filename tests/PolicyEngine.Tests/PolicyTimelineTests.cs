using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.TestKit;

namespace SpinePolicy.PolicyEngine.Tests;

/// <summary>P13: every version of the policy is its own document; the date of service picks the one in force.</summary>
public sealed class PolicyTimelineTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("policy-timeline-").FullName;

    [Fact]
    [Trait("Clause", "P13")]
    public void ReadTimeline_PublishedFolder_HoldsTheThreeVersionsOfTheHistory()
    {
        var timeline = PolicyDocumentReader.ReadTimeline(RepositoryPaths.PolicyFolder);

        Assert.Equal(["2025.08.0", "2025.10.0", "2026.01.0"], timeline.Versions.Select(v => v.Version));
        Assert.Equal("2026.01.0", timeline.Current.Version);
    }

    [Theory]
    [Trait("Clause", "P13")]
    [InlineData("2025-07-31", null)]
    [InlineData("2025-08-01", "2025.08.0")]
    [InlineData("2025-09-30", "2025.08.0")]
    [InlineData("2025-10-01", "2025.10.0")]
    [InlineData("2025-12-31", "2025.10.0")]
    [InlineData("2026-01-01", "2026.01.0")]
    [InlineData("2030-01-01", "2026.01.0")]
    public void InForceOn_DateOfService_IsTheLatestVersionEffectiveByThen(string date, string? version)
    {
        var timeline = PolicyDocumentReader.ReadTimeline(RepositoryPaths.PolicyFolder);

        Assert.Equal(version, timeline.InForceOn(DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture))?.Version);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public void ReadTimeline_TwoVersionsOnOneDate_FailsNamingBoth()
    {
        File.Copy(RepositoryPaths.PolicyDocument, Path.Combine(_folder, "a.json"));
        File.WriteAllText(Path.Combine(_folder, "b.json"), File.ReadAllText(RepositoryPaths.PolicyDocument).Replace("\"2026.01.0\"", "\"2026.01.1\"", StringComparison.Ordinal));

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.ReadTimeline(_folder));

        Assert.Contains("2026.01.0 and 2026.01.1 both take effect on 2026-01-01", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public void Evaluate_BvnaBeforeTheFirstVersion_PendsNamingTheGap()
    {
        var engine = new NecessityEngine(PolicyDocumentReader.ReadTimeline(RepositoryPaths.PolicyFolder));
        var order = new OrderedService("o1", "64628", DateOfService: DateRange.Day(new DateOnly(2025, 7, 15)));

        var determination = engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(50), order, [order], new Dictionary<string, CriterionAnswer>()));

        Assert.Equal(DeterminationOutcome.Pended, determination.Outcome);
        var reason = Assert.Single(determination.Reasons);
        Assert.Equal(FindingKind.PolicyNotInForce, reason.Kind);
        Assert.Contains("took effect on 2025-08-01", reason.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    [Trait("Clause", "P11")]
    public void Assess_OneCareBeforeJanuary2026_HasNoOneCareVariation()
    {
        var coverage = new CoverageEngine(PolicyDocumentReader.ReadTimeline(RepositoryPaths.PolicyFolder));
        OrderCoverage Assess(DateOnly date) => Assert.Single(coverage.Assess(new CoverageQuery("onecare", AgeFacts.Stated(70), [new OrderedService("o1", "64628", DateOfService: DateRange.Day(date))])));

        var december = Assess(new DateOnly(2025, 12, 15));
        var january = Assess(new DateOnly(2026, 1, 15));

        Assert.Null(december.DecidedUnder!.FindProductLine("onecare")!.VariationClause);
        Assert.Equal(PriorAuthStatus.Conditional, december.PriorAuthorization);
        Assert.Contains(december.Findings, f => f.Kind == FindingKind.PolicyContentNotOnFile);
        Assert.Equal("P11", january.DecidedUnder!.FindProductLine("onecare")!.VariationClause);
        Assert.Equal(PriorAuthStatus.AuthNeeded, january.PriorAuthorization);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
