using SpinePolicy.FhirQuestionnaire.Tests.Support;

namespace SpinePolicy.FhirQuestionnaire.Tests.Decisions;

/// <summary>The policy's numbers at their boundaries, decided through $next-question.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class ThresholdTests(DtrAppFixture fixture)
{
    [Theory]
    [Trait("Clause", "P7.8")]
    [InlineData("2", "covered")]
    [InlineData("2.1", "not-covered")]
    public async Task Spondylolisthesis_AtAndJustOverTwoMillimetres_IsDecidedAtTheThreshold(string millimetres, string covered)
    {
        var @case = CaseBuilder.ApprovableBvna().With("bvna-spondylolisthesis", true).WithDecimal("bvna-spondylolisthesis-mm", decimal.Parse(millimetres, System.Globalization.CultureInfo.InvariantCulture));

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == covered, outcome.ToString());
        Assert.True(covered == "covered" || outcome.HasReasonFor("P7.8"), outcome.ToString());
    }

    [Theory]
    [Trait("Clause", "P7.11")]
    [InlineData("40", "covered")]
    [InlineData("40.1", "not-covered")]
    public async Task BodyMassIndex_AtAndJustOverForty_IsDecidedAtTheThreshold(string bmi, string covered)
    {
        var @case = CaseBuilder.ApprovableBvna().WithDecimal("bvna-bmi", decimal.Parse(bmi, System.Globalization.CultureInfo.InvariantCulture));

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == covered, outcome.ToString());
        Assert.True(covered == "covered" || outcome.HasReasonFor("P7.11"), outcome.ToString());
    }

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData("L2", "not-covered")]
    [InlineData("L3", "covered")]
    [InlineData("S1", "covered")]
    [InlineData("S2", "not-covered")]
    public async Task TreatedLevel_InsideOrOutsideL3ToS1_IsDecidedByLevel(string level, string covered)
    {
        var @case = CaseBuilder.ApprovableBvna().WithLevels("bvna-treated-levels", level);

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == covered, $"{level}: {outcome}");
        Assert.True(covered == "covered" || outcome.HasReasonFor("P7.15"), outcome.ToString());
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData(24, "not-covered")]
    [InlineData(25, "covered")]
    public async Task BvnaMemberAge_At24And25_IsDecidedAtTheCustomizedMinimum(int age, string covered)
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableBvna().Age(age));

        Assert.True(outcome.Covered == covered, outcome.ToString());
        Assert.True(covered == "covered" || outcome.HasReasonFor("P6"), outcome.ToString());
    }

    [Theory]
    [Trait("Clause", "P5")]
    [InlineData(49, "not-covered")]
    [InlineData(50, "covered")]
    public async Task FacetPriorRelief_At49And50Percent_IsDecidedAtTheCustomizedThreshold(int percent, string covered)
    {
        var @case = CaseBuilder.ApprovableFacet().WithInteger("facet-prior-relief-percent", percent);

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == covered, outcome.ToString());
        Assert.True(covered == "covered" || outcome.HasReasonFor("P5"), outcome.ToString());
    }

    [Theory]
    [Trait("Clause", "P5")]
    [InlineData(13, "not-covered")]
    [InlineData(14, "covered")]
    public async Task FacetInterval_13And14DaysSinceTheLastInjection_IsDecidedAtTwoWeeks(int days, string covered)
    {
        var @case = CaseBuilder.ApprovableFacet().WithInteger("facet-days-since-last-injection", days);

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == covered, outcome.ToString());
        Assert.True(covered == "covered" || outcome.HasReasonFor("P5"), outcome.ToString());
    }

    [Fact]
    [Trait("Clause", "P4")]
    public async Task EsiCase_WithRadicularPainAndNoImagingOrPainScore_IsCovered()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableEsi());

        Assert.True(outcome.Covered == "covered", outcome.ToString());
    }

    [Fact]
    [Trait("Clause", "P1")]
    public async Task EsiCase_ForAMemberUnder18_GoesToClinicalReviewNotDenial()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableEsi().Age(17));

        Assert.True(outcome.Covered == "conditional" && outcome.HasReasonFor("P1"), outcome.ToString());
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task BvnaCase_OrderedWithAFacetInjection_IsNotCoveredAsConcurrent()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableBvna().AlsoOrdered("64493"));

        Assert.True(outcome.Covered == "not-covered" && outcome.HasReasonFor("P8"), outcome.ToString());
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task BvnaCase_WithAnIndicationNotMet_IsConditionalForClinicalReviewNotDenied()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableBvna().With("bvna-modic-changes-l3-s1", false));

        Assert.True(outcome.Covered == "conditional" && outcome.HasReasonFor("P6"), outcome.ToString());
    }

    [Fact]
    [Trait("Clause", "P10")]
    public async Task BvnaCase_ForAMassHealthMember_IsNotCoveredAsNotPayable()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableBvna().Plan("MGB-MASSHEALTH-ACO"));

        Assert.True(outcome.Covered == "not-covered" && outcome.HasReasonFor("P10"), outcome.ToString());
    }
}
