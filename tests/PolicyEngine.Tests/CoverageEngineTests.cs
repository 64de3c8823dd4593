using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Tests;

public class CoverageEngineTests
{
    private static readonly CoverageEngine Engine = new(PolicyFixture.Policy);

    /// <summary>P3, cell by cell: product line × one code per group → PA answer.</summary>
    public static TheoryData<string, string, CoverageStatus, PriorAuthStatus> PriorAuthorizationMatrix()
    {
        var data = new TheoryData<string, string, CoverageStatus, PriorAuthStatus>();
        var required = (CoverageStatus.Covered, PriorAuthStatus.AuthNeeded);
        var none = (CoverageStatus.Covered, PriorAuthStatus.NoAuth);
        var notPayable = (CoverageStatus.NotCovered, PriorAuthStatus.NotApplicable);
        var rows = new (string Line, (CoverageStatus, PriorAuthStatus) Single, (CoverageStatus, PriorAuthStatus) Catheter, (CoverageStatus, PriorAuthStatus) Transforaminal, (CoverageStatus, PriorAuthStatus) Facet, (CoverageStatus, PriorAuthStatus) Bvna)[]
        {
            ("commercial", required, none, required, required, required),
            ("qualified-health-plan", required, none, required, required, required),
            ("masshealth-aco", required, none, required, required, notPayable),
            ("medicare-advantage", none, none, none, none, required),
            ("onecare", none, none, none, none, required),
            ("senior-care-options", none, none, none, none, required),
        };
        foreach (var row in rows)
        {
            foreach (var code in new[] { "62320", "62321", "62322", "62323" })
            {
                data.Add(row.Line, code, row.Single.Item1, row.Single.Item2);
            }

            foreach (var code in new[] { "62324", "62325", "62326", "62327" })
            {
                data.Add(row.Line, code, row.Catheter.Item1, row.Catheter.Item2);
            }

            foreach (var code in new[] { "64479", "64483" })
            {
                data.Add(row.Line, code, row.Transforaminal.Item1, row.Transforaminal.Item2);
            }

            foreach (var code in new[] { "64490", "64493" })
            {
                data.Add(row.Line, code, row.Facet.Item1, row.Facet.Item2);
            }

            data.Add(row.Line, "64628", row.Bvna.Item1, row.Bvna.Item2);
        }

        return data;
    }

    [Theory]
    [Trait("Clause", "P3")]
    [MemberData(nameof(PriorAuthorizationMatrix))]
    public void Assess_ProductLineAndCode_FollowsPriorAuthorizationTable(string productLine, string cpt, CoverageStatus covered, PriorAuthStatus paNeeded)
    {
        var result = Engine.Assess(new CoverageQuery(productLine, AgeFacts.Stated(40), [new OrderedService("o1", cpt)]));

        var coverage = Assert.Single(result);
        Assert.Equal(covered, coverage.Coverage);
        Assert.Equal(paNeeded, coverage.PriorAuthorization);
        Assert.Equal(paNeeded == PriorAuthStatus.AuthNeeded, coverage.DocumentationNeeded);
        Assert.Equal(paNeeded == PriorAuthStatus.AuthNeeded, coverage.Questionnaire is not null);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public void Assess_CodeOutsidePolicy_ReturnsNothing()
    {
        var result = Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(40), [new OrderedService("o1", "99213"), new OrderedService("o2", "62224")]));

        Assert.Empty(result);
    }

    [Fact]
    [Trait("Clause", "P10")]
    public void Assess_BvnaForMassHealth_NotCoveredCitingMassHealthVariation()
    {
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("masshealth-aco", AgeFacts.Stated(40), [new OrderedService("o1", "64628")])));

        Assert.Equal(CoverageStatus.NotCovered, coverage.Coverage);
        var finding = Assert.Single(coverage.Findings);
        Assert.Equal(FindingKind.NotPayable, finding.Kind);
        Assert.Equal("P10", finding.Clause);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData(24, true)]
    [InlineData(25, false)]
    public void Assess_BvnaAge_FlagsMembersUnder25(int age, bool flagged)
    {
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(age), [new OrderedService("o1", "64628")])));

        Assert.Equal(flagged, coverage.Findings.Any(f => f.Kind == FindingKind.BelowMinimumAge && f.Clause == "P6"));

        // Under 25 PAS denies whatever the form says (P6): not covered, no PA question, no documentation.
        Assert.Equal(flagged ? (CoverageStatus.NotCovered, PriorAuthStatus.NotApplicable) : (CoverageStatus.Covered, PriorAuthStatus.AuthNeeded), (coverage.Coverage, coverage.PriorAuthorization));
        Assert.Equal(!flagged, coverage.DocumentationNeeded);
        Assert.Equal(flagged ? FindingKind.BelowMinimumAge : FindingKind.PriorAuthorizationRequired, coverage.Findings[0].Kind);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public void Assess_BvnaAgeStraddling25_StaysCoveredWithAuthNeeded()
    {
        // Born in 2002, the member may be 24 or 25 on 2027-06-15: PAS pends, so CRD keeps asking for PA.
        var dos = DateRange.Day(new DateOnly(2027, 6, 15));
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("commercial", AgeFacts.Born(DateRange.Year(2002)), [new OrderedService("o1", "64628", 1, dos)])));

        Assert.Equal((CoverageStatus.Covered, PriorAuthStatus.AuthNeeded), (coverage.Coverage, coverage.PriorAuthorization));
        Assert.Contains(coverage.Findings, f => f.Kind == FindingKind.AgeUnknown);
    }

    [Fact]
    [Trait("Clause", "P1")]
    public void Assess_InjectionUnder18_StaysCoveredWithAuthNeeded()
    {
        // P1: under 18 PAS pends for individual review; CRD does not say not covered.
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(17), [new OrderedService("o1", "64483")])));

        Assert.Equal((CoverageStatus.Covered, PriorAuthStatus.AuthNeeded), (coverage.Coverage, coverage.PriorAuthorization));
        Assert.True(coverage.DocumentationNeeded);
    }

    [Theory]
    [Trait("Clause", "P1")]
    [InlineData(17, true)]
    [InlineData(18, false)]
    public void Assess_InjectionAge_FlagsMembersUnder18(int age, bool flagged)
    {
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(age), [new OrderedService("o1", "64483")])));

        Assert.Equal(flagged, coverage.Findings.Any(f => f.Kind == FindingKind.BelowMinimumAge && f.Clause == "P1"));
    }

    [Theory]
    [Trait("Clause", "P2")]
    [InlineData("64480", "64479")]
    [InlineData("64484", "64483")]
    [InlineData("64491", "64490")]
    [InlineData("64492", "64490")]
    [InlineData("64494", "64493")]
    [InlineData("64495", "64493")]
    [InlineData("64629", "64628")]
    public void Assess_AddOnWithAndWithoutPrimary_FlagsOnlyTheLoneAddOn(string addOn, string primary)
    {
        var alone = Assert.Single(Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(40), [new OrderedService("a", addOn)])));
        var paired = Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(40), [new OrderedService("p", primary), new OrderedService("a", addOn)]));

        Assert.Contains(alone.Findings, f => f.Kind == FindingKind.AddOnWithoutPrimary && f.Clause == "P2");
        Assert.DoesNotContain(paired.SelectMany(c => c.Findings), f => f.Kind == FindingKind.AddOnWithoutPrimary);
    }

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData("64483", true)]
    [InlineData("64493", true)]
    [InlineData("64635", true)]
    [InlineData("63030", true)]
    [InlineData("99213", false)]
    public void Assess_BvnaWithAnotherProcedure_FlagsConcurrency(string other, bool flagged)
    {
        var result = Engine.Assess(new CoverageQuery("commercial", AgeFacts.Stated(40), [new OrderedService("b", "64628"), new OrderedService("x", other)]));

        var bvna = result.Single(c => c.Order.OrderId == "b");
        Assert.Equal(flagged, bvna.Findings.Any(f => f.Kind == FindingKind.ConcurrentProcedure && f.Clause == "P8"));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public void Assess_UnknownProductLine_IsConditional()
    {
        var coverage = Assert.Single(Engine.Assess(new CoverageQuery("dental", AgeFacts.Stated(40), [new OrderedService("o1", "64628")])));

        Assert.Equal(CoverageStatus.Conditional, coverage.Coverage);
        Assert.Contains(coverage.Findings, f => f.Kind == FindingKind.UnknownProductLine);
    }
}
