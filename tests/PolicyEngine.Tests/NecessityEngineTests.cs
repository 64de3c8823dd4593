using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine.Tests;

public class NecessityEngineTests
{
    private static readonly NecessityEngine Engine = new(PolicyFixture.Policy);

    [Fact]
    [Trait("Clause", "P6")]
    public void Evaluate_BvnaMeetingIndicationsWithoutExclusions_Approved()
    {
        var result = Engine.Evaluate(NecessityCases.Request("64628", NecessityCases.ApprovableBvna()));

        Assert.Equal(DeterminationOutcome.Approved, result.Outcome);
        Assert.Equal(PolicyFixture.Policy.Version, result.PolicyVersion);
    }

    public static TheoryData<string, string> BooleanExclusions() => new()
    {
        { "bvna-radicular-pain", "P7.1" },
        { "bvna-prior-lumbar-surgery", "P7.2" },
        { "bvna-symptomatic-spinal-stenosis", "P7.3" },
        { "bvna-spine-or-systemic-infection", "P7.4" },
        { "bvna-osteoporosis-or-fragility-fracture", "P7.5" },
        { "bvna-vertebral-fracture-past-year", "P7.6" },
        { "bvna-spine-malignancy", "P7.7" },
        { "bvna-spondylolysis", "P7.9" },
        { "bvna-severe-cardiopulmonary-disease", "P7.10" },
        { "bvna-poorly-controlled-psychiatric-disease", "P7.12" },
        { "bvna-bedbound-or-immobilizing-neurologic-condition", "P7.13" },
    };

    [Theory]
    [Trait("Clause", "P7")]
    [MemberData(nameof(BooleanExclusions))]
    public void Evaluate_OneBooleanExclusionPresent_DeniedNamingIt(string criterion, string clause)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers[criterion] = new BooleanAnswer(true);

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        var reason = Assert.Single(result.Reasons);
        Assert.Equal(FindingKind.ExclusionPresent, reason.Kind);
        Assert.Equal(clause, reason.Clause);
        Assert.Equal(criterion, reason.CriterionCode);
    }

    [Theory]
    [Trait("Clause", "P7.8")]
    [InlineData("2", DeterminationOutcome.Approved)]
    [InlineData("2.1", DeterminationOutcome.Denied)]
    public void Evaluate_SpondylolisthesisSlip_DeniedOnlyAbove2mm(string millimetres, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-spondylolisthesis"] = new BooleanAnswer(true);
        answers["bvna-spondylolisthesis-mm"] = new NumberAnswer(decimal.Parse(millimetres, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", answers)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P7.11")]
    [InlineData("40", DeterminationOutcome.Approved)]
    [InlineData("40.1", DeterminationOutcome.Denied)]
    public void Evaluate_Bmi_DeniedOnlyAbove40(string bmi, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-bmi"] = new NumberAnswer(decimal.Parse(bmi, System.Globalization.CultureInfo.InvariantCulture));

        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", answers)).Outcome);
    }

    /// <summary>A measured exclusion names the value answered and the policy's limit, so the provider sees what decided.</summary>
    [Theory]
    [InlineData("bvna-bmi", "42.5", "P7.11", "Body mass index (kg/m2) 42.5, greater than 40")]
    [InlineData("bvna-spondylolisthesis-mm", "3", "P7.8", "Spondylolisthesis slip (millimetres) 3, greater than 2")]
    public void Evaluate_MeasuredExclusion_DenialNamesTheValueAndTheLimit(string criterion, string value, string clause, string expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-spondylolisthesis"] = new BooleanAnswer(criterion == "bvna-spondylolisthesis-mm");
        answers[criterion] = new NumberAnswer(decimal.Parse(value, System.Globalization.CultureInfo.InvariantCulture));

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        var reason = Assert.Single(result.Reasons, r => r.Clause == clause);
        Assert.Contains(expected, reason.Message, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData("L2", DeterminationOutcome.Denied)]
    [InlineData("L3", DeterminationOutcome.Approved)]
    [InlineData("S1", DeterminationOutcome.Approved)]
    [InlineData("S2", DeterminationOutcome.Denied)]
    public void Evaluate_TreatedLevel_DeniedOutsideL3ToS1(string level, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer([level]);

        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", answers)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P7.14")]
    [InlineData(true, DeterminationOutcome.Denied)]
    [InlineData(false, DeterminationOutcome.Approved)]
    public void Evaluate_Pregnancy_DeniedWhenPregnant(bool pregnant, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-pregnancy-possible"] = new BooleanAnswer(true);
        answers["bvna-pregnancy"] = new BooleanAnswer(pregnant);

        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", answers)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P7.16")]
    [InlineData("L4", DeterminationOutcome.Denied)]
    [InlineData("L3", DeterminationOutcome.Approved)]
    public void Evaluate_RepeatBvna_DeniedOnlyOnAPreviouslyTreatedVertebra(string previous, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-prior-bvna"] = new BooleanAnswer(true);
        answers["bvna-previously-treated-levels"] = new CodesAnswer([previous]);

        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", answers)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData(24, DeterminationOutcome.Denied)]
    [InlineData(25, DeterminationOutcome.Approved)]
    public void Evaluate_BvnaAge_DeniedUnder25(int age, DeterminationOutcome expected)
    {
        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64628", NecessityCases.ApprovableBvna(), age: age)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P5")]
    [InlineData(49, 30, DeterminationOutcome.Denied)]
    [InlineData(50, 30, DeterminationOutcome.Approved)]
    [InlineData(60, 13, DeterminationOutcome.Denied)]
    [InlineData(60, 14, DeterminationOutcome.Approved)]
    public void Evaluate_FacetRepeat_ReliefAndIntervalThresholds(int reliefPercent, int days, DeterminationOutcome expected)
    {
        var answers = NecessityCases.ApprovableFacetRepeat();
        answers["facet-prior-relief-percent"] = new NumberAnswer(reliefPercent);
        answers["facet-days-since-last-injection"] = new NumberAnswer(days);

        var result = Engine.Evaluate(NecessityCases.Request("64493", answers));

        Assert.Equal(expected, result.Outcome);
        if (expected == DeterminationOutcome.Denied)
        {
            Assert.All(result.Reasons, r => Assert.Equal("P5", r.Clause));
        }
    }

    [Fact]
    [Trait("Clause", "P6")]
    public void Evaluate_BvnaIndicationNotMet_PendsForClinicalReviewNotDenied()
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-modic-changes-l3-s1"] = new BooleanAnswer(false);

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Pended, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Kind == FindingKind.IndicationNotMet && r.CriterionCode == "bvna-modic-changes-l3-s1");
    }

    [Fact]
    [Trait("Clause", "P7")]
    public void Evaluate_UnansweredRequiredItem_PendsAsInformationMissing()
    {
        var answers = NecessityCases.ApprovableBvna();
        answers.Remove("bvna-radicular-pain");

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Pended, result.Outcome);
        Assert.Equal(["bvna-radicular-pain"], result.MissingCriteria);
    }

    [Fact]
    [Trait("Clause", "P7")]
    public void Evaluate_ExclusionWithOtherItemsUnanswered_StillDenied()
    {
        var answers = new Dictionary<string, CriterionAnswer> { ["bvna-radicular-pain"] = new BooleanAnswer(true) };

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        Assert.True(result.IsFinal);
    }

    [Fact]
    [Trait("Clause", "P7.8")]
    public void Evaluate_AnswerToDisabledItem_Rejected()
    {
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-spondylolisthesis-mm"] = new NumberAnswer(1);

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Rejected, result.Outcome);
        Assert.Contains(result.Reasons, r => r.CriterionCode == "bvna-spondylolisthesis-mm");
    }

    [Fact]
    [Trait("Clause", "P8")]
    public void Evaluate_BvnaWithSteroidInjectionInSameRequest_Denied()
    {
        var result = Engine.Evaluate(NecessityCases.Request("64628", NecessityCases.ApprovableBvna(), others: new OrderedService("item-2", "64483")));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Kind == FindingKind.ConcurrentProcedure && r.Clause == "P8");
    }

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData(2, DeterminationOutcome.Approved)]
    [InlineData(3, DeterminationOutcome.Denied)]
    public void Evaluate_BvnaAddOnUnits_DeniedBeyondL3ToS1(int units, DeterminationOutcome expected)
    {
        var primary = new OrderedService("item-1", "64628");
        var addOn = new OrderedService("item-2", "64629", units);
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(["L3", "L4", "L5", "S1"]);

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), addOn, [primary, addOn], answers));

        Assert.Equal(expected, result.Outcome);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public void Evaluate_AddOnWithoutPrimary_DeniedAsCodingError()
    {
        var result = Engine.Evaluate(NecessityCases.Request("64629", NecessityCases.ApprovableBvna()));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Kind == FindingKind.AddOnWithoutPrimary);
    }

    [Theory]
    [Trait("Clause", "P3")]
    [InlineData("masshealth-aco", "64628", DeterminationOutcome.NotPayable)]
    [InlineData("commercial", "62324", DeterminationOutcome.NoAuthorizationRequired)]
    [InlineData("medicare-advantage", "64493", DeterminationOutcome.NoAuthorizationRequired)]
    public void Evaluate_PriorAuthorizationTable_DecidesBeforeCriteria(string productLine, string cpt, DeterminationOutcome expected)
    {
        var result = Engine.Evaluate(NecessityCases.Request(cpt, new Dictionary<string, CriterionAnswer>(), productLine));

        Assert.Equal(expected, result.Outcome);
    }

    [Theory]
    [Trait("Clause", "P1")]
    [InlineData(17, DeterminationOutcome.Pended)]
    [InlineData(18, DeterminationOutcome.Approved)]
    public void Evaluate_InjectionForMinor_PendsForIndividualReview(int age, DeterminationOutcome expected)
    {
        Assert.Equal(expected, Engine.Evaluate(NecessityCases.Request("64483", NecessityCases.ApprovableEsi(), age: age)).Outcome);
    }

    [Theory]
    [Trait("Clause", "P9")]
    [InlineData("medicare-advantage", "P9")]
    [InlineData("onecare", "P11")]
    [InlineData("senior-care-options", "P11")]
    public void Evaluate_ApprovedBvnaOnCmsLines_CitesCmsVariation(string productLine, string clause)
    {
        var result = Engine.Evaluate(NecessityCases.Request("64628", NecessityCases.ApprovableBvna(), productLine));

        Assert.Equal(DeterminationOutcome.Approved, result.Outcome);
        Assert.Contains(result.Reasons, r => r.Kind == FindingKind.CmsGuidanceApplies && r.Clause == clause);
        // P9 lists the BVNA LCDs; the approval names them so the reviewer can check the member's state.
        Assert.Contains(result.Reasons, r => r.Kind == FindingKind.CmsGuidanceApplies && r.Message.Contains("L39642, L39644, L39420", StringComparison.Ordinal));
    }

    [Theory]
    [Trait("Clause", "P2")]
    [InlineData(1, DeterminationOutcome.Approved)]
    [InlineData(2, DeterminationOutcome.Denied)]
    public void Evaluate_BvnaPrimaryUnits_MoreThanOneIsACodingError(int units, DeterminationOutcome expected)
    {
        // 64628 is "first two vertebral bodies": a second unit would be bodies 64629 codes.
        var primary = new OrderedService("item-1", "64628", units);
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(["L3", "L4", "L5", "S1"]);

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), primary, [primary], answers));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == DeterminationOutcome.Denied, result.Reasons.Any(r => r.Kind == FindingKind.UnitsBeyondLimit && r.Clause == "P2" && r.Message.Contains("2 units of 64628", StringComparison.Ordinal)));
    }

    private static readonly DateRange March10 = DateRange.Day(new DateOnly(2026, 3, 10));
    private static readonly DateRange March20 = DateRange.Day(new DateOnly(2026, 3, 20));

    private static MemberHistory Held(PriorServiceStatus status, params OrderedService[] services) =>
        new([.. services.Select(s => new PriorService("earlier", s, status, []))]);

    [Theory]
    [Trait("Clause", "P8")]
    [InlineData(PriorServiceStatus.Certified)]
    [InlineData(PriorServiceStatus.Pending)]
    public void Evaluate_InjectionOnTheDayOfTheMembersHeldBvna_PendsForAClinician(PriorServiceStatus status)
    {
        var injection = new OrderedService("item-1", "64483", DateOfService: March10);
        var history = Held(status, new OrderedService("earlier-1", "64628", DateOfService: March10));

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), injection, [injection], NecessityCases.ApprovableEsi(), history));

        Assert.Equal(DeterminationOutcome.Pended, result.Outcome);
        var finding = Assert.Single(result.Reasons, r => r.Kind == FindingKind.ConcurrencyUncertain);
        Assert.Equal("P8", finding.Clause);
        Assert.Contains("64628", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public void Evaluate_BvnaOnTheDayOfAnInjectionThatNeededNoAuthorization_DeniedNamingTheRequest()
    {
        // An epidural needs no authorization on a Medicare Advantage line (P3): the request saying
        // so still tells the payer it is planned, and P8 makes the same-day BVNA experimental.
        var bvna = new OrderedService("item-1", "64628", DateOfService: March10);
        var history = Held(PriorServiceStatus.NoAuthorizationRequired, new OrderedService("earlier-1", "62323", DateOfService: March10));

        var result = Engine.Evaluate(new NecessityRequest("medicare-advantage", AgeFacts.Stated(70), bvna, [bvna], NecessityCases.ApprovableBvna(), history));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        var finding = Assert.Single(result.Reasons, r => r.Clause == "P8");
        Assert.Contains("62323 on 2026-03-10 in the member's request earlier, which needed no prior authorization", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public void Evaluate_InjectionOnAnotherDayThanTheMembersBvna_IsDecidedOnItsCriteria()
    {
        var injection = new OrderedService("item-1", "64483", DateOfService: March20);
        var history = Held(PriorServiceStatus.Certified, new OrderedService("earlier-1", "64628", DateOfService: March10));

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), injection, [injection], NecessityCases.ApprovableEsi(), history));

        Assert.Equal(DeterminationOutcome.Approved, result.Outcome);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public void Evaluate_AddOnOnAnotherDayThanItsPrimary_DeniedAsCodingError()
    {
        var primary = new OrderedService("item-1", "64628", DateOfService: March10);
        var addOn = new OrderedService("item-2", "64629", DateOfService: March20);

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), addOn, [primary, addOn], NecessityCases.ApprovableBvna()));

        Assert.Equal(DeterminationOutcome.Denied, result.Outcome);
        var finding = Assert.Single(result.Reasons, r => r.Kind == FindingKind.AddOnWithoutPrimary);
        Assert.Contains("another day", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P2")]
    public void Evaluate_AddOnWhosePrimaryTheMemberHoldsThatDay_IsNoCodingError()
    {
        var addOn = new OrderedService("item-1", "64629", DateOfService: March10);
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(["L5", "S1"]);
        var history = Held(PriorServiceStatus.Certified, new OrderedService("earlier-1", "64628", DateOfService: March10));

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), addOn, [addOn], answers, history));

        Assert.DoesNotContain(result.Reasons, r => r.Kind == FindingKind.AddOnWithoutPrimary);
    }

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData("64629", 1, 1, DeterminationOutcome.Approved)]
    [InlineData("64629", 1, 2, DeterminationOutcome.Denied)]
    [InlineData("64628", 1, 1, DeterminationOutcome.Denied)]
    public void Evaluate_UnitsSplitOverLinesOfOneDay_AddUp(string cpt, int first, int second, DeterminationOutcome expected)
    {
        var primary = new OrderedService("item-0", "64628", DateOfService: March10);
        var a = new OrderedService("item-1", cpt, first, March10);
        var b = new OrderedService("item-2", cpt, second, March10);
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(["L3", "L4", "L5", "S1"]);
        IReadOnlyList<OrderedService> orders = cpt == "64628" ? [a, b] : [primary, a, b];

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), a, orders, answers));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == DeterminationOutcome.Denied, result.Reasons.Any(r => r.Kind == FindingKind.UnitsBeyondLimit && r.Message.Contains($"{first + second} units of {cpt} on one day", StringComparison.Ordinal)));
    }

    [Theory]
    [Trait("Clause", "P2")]
    [InlineData(1, new[] { "L4", "L5" }, DeterminationOutcome.Pended)]
    [InlineData(1, new[] { "L4", "L5", "S1" }, DeterminationOutcome.Approved)]
    [InlineData(2, new[] { "L3", "L4", "L5" }, DeterminationOutcome.Pended)]
    [InlineData(2, new[] { "L3", "L4", "L5", "S1" }, DeterminationOutcome.Approved)]
    public void Evaluate_64629WithFewerLevelsNamedThanTheCodesTreat_PendsForTheUnnamedLevels(int addOnUnits, string[] levels, DeterminationOutcome expected)
    {
        // 64628 is the first two vertebral bodies, each unit of 64629 one more: 64628 + 64629 x 1 treats
        // three bodies; a form naming two leaves the third's level unknown, so P7.15/P7.16 cannot be checked.
        var primary = new OrderedService("item-1", "64628", DateOfService: March10);
        var addOn = new OrderedService("item-2", "64629", addOnUnits, March10);
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(levels);

        foreach (var line in new[] { primary, addOn })
        {
            var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), line, [primary, addOn], answers));

            Assert.Equal(expected, result.Outcome);
            Assert.Equal(expected == DeterminationOutcome.Pended, result.Reasons.Any(r => r.Clause == "P2" && r.Message.Contains($"treat {2 + addOnUnits} levels", StringComparison.Ordinal) && r.Message.Contains($"names {levels.Length}", StringComparison.Ordinal)));
        }
    }

    [Fact]
    [Trait("Clause", "P2")]
    public void Evaluate_64628AloneOnOneLevel_IsNotACountMismatch()
    {
        // 64628 also codes a single vertebral body: only the add-on says how many bodies there are.
        var answers = NecessityCases.ApprovableBvna();
        answers["bvna-treated-levels"] = new CodesAnswer(["L4"]);

        var result = Engine.Evaluate(NecessityCases.Request("64628", answers));

        Assert.Equal(DeterminationOutcome.Approved, result.Outcome);
    }

    [Fact]
    [Trait("Clause", "P7.15")]
    public void Evaluate_UnitsOnDifferentDays_AreCountedApart()
    {
        var a = new OrderedService("item-1", "64628", 1, March10);
        var b = new OrderedService("item-2", "64628", 1, March20);

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), a, [a, b], NecessityCases.ApprovableBvna()));

        Assert.DoesNotContain(result.Reasons, r => r.Kind == FindingKind.UnitsBeyondLimit);
    }

    [Theory]
    [Trait("Clause", "P5")]
    [InlineData(3, DeterminationOutcome.Pended)]
    [InlineData(13, DeterminationOutcome.Pended)]
    [InlineData(14, DeterminationOutcome.Approved)]
    public void Evaluate_FacetInjectionDaysAfterOneTheMemberHolds_PendsWithinTheIntervalWhateverTheFormSays(int daysAfter, DeterminationOutcome expected)
    {
        var injection = new OrderedService("item-1", "64493", DateOfService: DateRange.Day(new DateOnly(2026, 3, 10).AddDays(daysAfter)));
        var history = Held(PriorServiceStatus.Certified, new OrderedService("earlier-1", "64493", DateOfService: March10));

        // The form says the last injection at this level was 30 days ago, or that there was none.
        var firstAtThisLevel = new Dictionary<string, CriterionAnswer>
        {
            ["facet-suspected-facet-mediated-pain"] = new BooleanAnswer(true),
            ["facet-prior-injection-same-level"] = new BooleanAnswer(false),
        };
        foreach (var answers in new[] { NecessityCases.ApprovableFacetRepeat(), firstAtThisLevel })
        {
            var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), injection, [injection], answers, history));

            Assert.Equal(expected, result.Outcome);
            Assert.Equal(expected == DeterminationOutcome.Pended, result.Reasons.Any(r => r.Kind == FindingKind.ClinicalReviewRequired && r.Clause == "P5" && r.CriterionCode == "facet-days-since-last-injection"));
        }
    }

    [Fact]
    [Trait("Clause", "P5")]
    public void Evaluate_EpiduralDaysAfterAFacetInjection_IsNoFacetInterval()
    {
        var injection = new OrderedService("item-1", "64483", DateOfService: DateRange.Day(new DateOnly(2026, 3, 13)));
        var history = Held(PriorServiceStatus.Certified, new OrderedService("earlier-1", "64493", DateOfService: March10));

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), injection, [injection], NecessityCases.ApprovableEsi(), history));

        Assert.Equal(DeterminationOutcome.Approved, result.Outcome);
    }

    [Theory]
    [Trait("Clause", "P2")]
    [InlineData("64490", "64491", 1, DeterminationOutcome.Approved)]
    [InlineData("64490", "64491", 2, DeterminationOutcome.Denied)]
    [InlineData("64490", "64492", 1, DeterminationOutcome.Approved)]
    [InlineData("64493", "64495", 4, DeterminationOutcome.Denied)]
    [InlineData("64483", "64484", 3, DeterminationOutcome.Approved)] // "each additional level": one unit a level
    public void Evaluate_FacetAddOnUnits_OneUnitCoversTheLevelsItsDescriptorNames(string primaryCode, string addOnCode, int units, DeterminationOutcome expected)
    {
        var primary = new OrderedService("item-1", primaryCode);
        var addOn = new OrderedService("item-2", addOnCode, units);
        var answers = primaryCode == "64483" ? NecessityCases.ApprovableEsi() : new Dictionary<string, CriterionAnswer>
        {
            ["facet-suspected-facet-mediated-pain"] = new BooleanAnswer(true),
            ["facet-prior-injection-same-level"] = new BooleanAnswer(false),
        };

        var result = Engine.Evaluate(new NecessityRequest("commercial", AgeFacts.Stated(45), addOn, [primary, addOn], answers));

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(expected == DeterminationOutcome.Denied, result.Reasons.Any(r => r.Kind == FindingKind.UnitsBeyondLimit && r.Clause == "P2"));
    }
}
