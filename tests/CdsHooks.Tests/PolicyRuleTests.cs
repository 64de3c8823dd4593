using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.Storage;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>The order-set and age rules (P1, P2, P6, P8, P10, P7.15) as a clinician sees them in cards.</summary>
public sealed class PolicyRuleTests(CrdApp app) : IClassFixture<CrdApp>
{
    private async Task<CrdCall> SignAsync(int age, string plan, params Hl7.Fhir.Model.ServiceRequest[] orders)
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(orders)
            .Member(CrdTestData.Patient(age), CrdTestData.Coverage(plan))
            .Build();
        var call = await app.CallAsync("order-sign-crd", body);
        Assert.Equal(HttpStatusCode.OK, call.Status);
        return call;
    }

    private static bool HasRuleCard(CrdCall call, string clause) =>
        call.Cards.Any(c => c.GetProperty("source").GetProperty("topic").GetProperty("code").GetString() == "off-guideline"
            && c.GetProperty("summary").GetString()!.Contains($"({clause})", StringComparison.Ordinal));

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData(24, true)]
    [InlineData(25, false)]
    public async Task OrderSign_BvnaByAge_FlagsMembersUnder25(int age, bool flagged)
    {
        var call = await SignAsync(age, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));

        Assert.Equal(flagged, HasRuleCard(call, "P6"));
        Assert.Equal(flagged ? null : "auth-needed", call.CoverageInfoFor("sr-bvna").PaNeeded);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task OrderSign_BvnaForMemberUnder25_ReturnsNotCoveredWithoutPaNeeded()
    {
        var call = await SignAsync(24, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));

        // PAS denies BVNA under 25 whatever the form says (P6, A3): CRD says so now, and asks no PA (crd-ci-q2).
        await AssertNotCoveredAsync(call, "sr-bvna", "P6", "under 25");
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task OrderSign_BvnaWithLaminectomyInTheSameOrder_ReturnsNotCovered()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("63047", "sr-surgery"));

        await AssertNotCoveredAsync(call, "sr-bvna", "P8", "63047");
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task OrderSign_BvnaForMemberOf25_StaysCoveredWithAuthNeeded()
    {
        var call = await SignAsync(25, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));

        var info = call.CoverageInfoFor("sr-bvna");
        Assert.Equal(("covered", "auth-needed", "clinical"), (info.Covered, info.PaNeeded, info.DocNeeded));
        Assert.NotNull(info.Questionnaire);
        Assert.Contains(call.CardSummaries, s => s.StartsWith("Prior authorization required for CPT 64628", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P1")]
    public async Task OrderSign_InjectionForMemberUnder18_StaysCoveredWithAuthNeeded()
    {
        // P1: under 18 PAS pends for individual review, so CRD does not say not covered.
        var call = await SignAsync(17, "MGB-COMMERCIAL", CrdTestData.Order("64493", "sr-facet"));

        var info = call.CoverageInfoFor("sr-facet");
        Assert.Equal(("covered", "auth-needed"), (info.Covered, info.PaNeeded));
        Assert.True(HasRuleCard(call, "P1"), call.Body);
    }

    /// <summary>
    /// The order's coverage-information says not-covered with no pa-needed, no documentation and no
    /// questionnaire; the rule card names the clause and the reason, no card asks for PA; the stored
    /// assertion says the same.
    /// </summary>
    private async Task AssertNotCoveredAsync(CrdCall call, string orderId, string clause, string reason)
    {
        var info = call.CoverageInfoFor(orderId);
        Assert.Equal("not-covered", info.Covered);
        Assert.Null(info.PaNeeded);
        Assert.Null(info.DocNeeded);
        Assert.Empty(info.DocPurpose);
        Assert.Null(info.Questionnaire);
        Assert.Contains(clause, info.Reason, StringComparison.Ordinal);
        Assert.Contains(reason, info.Reason, StringComparison.Ordinal);

        Assert.True(HasRuleCard(call, clause), call.Body);
        Assert.Contains(call.Cards, c => c.GetProperty("detail").GetString()!.Contains(reason, StringComparison.Ordinal));
        Assert.DoesNotContain(call.CardSummaries, s => s.StartsWith("Prior authorization required for CPT 64628", StringComparison.Ordinal));

        var stored = await app.App.Services.GetRequiredService<ICoverageAssertionStore>().FindAsync(info.AssertionId!, CancellationToken.None);
        Assert.NotNull(stored);
        Assert.Equal(("not-covered", null, false, null), (stored.Covered, stored.PaNeeded, stored.DocumentationNeeded, stored.QuestionnaireCanonical));
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task OrderSign_BvnaForMemberTurning25Tomorrow_IsStillFlagged()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .Member(CrdTestData.PatientTurningTomorrow(25), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.True(HasRuleCard(call, "P6"), call.Body);
    }

    [Theory]
    [Trait("Clause", "P1")]
    [InlineData("62321", 17, true)]
    [InlineData("62321", 18, false)]
    [InlineData("64493", 17, true)]
    [InlineData("64493", 18, false)]
    public async Task OrderSign_InjectionByAge_FlagsMembersUnder18(string cpt, int age, bool flagged)
    {
        var call = await SignAsync(age, "MGB-COMMERCIAL", CrdTestData.Order(cpt, "sr-inj"));

        Assert.Equal(flagged, HasRuleCard(call, "P1"));
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task OrderSign_AddOnWithoutPrimary_FlagsTheAddOn()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64484", "sr-addon"));

        Assert.True(HasRuleCard(call, "P2"), call.Body);
        Assert.Contains(call.Cards, c => c.GetProperty("detail").GetString()!.Contains("64483", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task OrderSign_AddOnWithItsPrimary_IsNotFlagged()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64483", "sr-primary"), CrdTestData.Order("64484", "sr-addon"));

        Assert.False(HasRuleCard(call, "P2"), call.Body);
        Assert.Equal(2, call.SystemActions.Count);
    }

    [Fact]
    [Trait("Clause", "P10")]
    public async Task OrderSign_BvnaForMassHealthMember_ReturnsNotCoveredWithoutPaNeeded()
    {
        var call = await SignAsync(50, "MGB-MASSHEALTH-ACO", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("64629", "sr-bvna-addon"));

        foreach (var id in new[] { "sr-bvna", "sr-bvna-addon" })
        {
            var info = call.CoverageInfoFor(id);
            Assert.Equal("not-covered", info.Covered);
            Assert.Null(info.PaNeeded);
            Assert.Null(info.Questionnaire);
        }

        var card = Assert.Single(call.Cards, c => c.GetProperty("summary").GetString()!.Contains("64628", StringComparison.Ordinal) && c.GetProperty("summary").GetString()!.Contains("not payable", StringComparison.Ordinal));
        Assert.Contains("P10", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task OrderSign_BvnaWithFacetInjection_FlagsConcurrency()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("64493", "sr-facet"));

        Assert.True(HasRuleCard(call, "P8"), call.Body);
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task OrderSign_BvnaWithListedNonPolicyProcedure_FlagsConcurrency()
    {
        // 63047 (laminectomy) is not governed by the policy but is a concurrent spine procedure (P8).
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("63047", "sr-surgery"));

        Assert.True(HasRuleCard(call, "P8"), call.Body);
        Assert.Equal(("not-covered", null), (call.CoverageInfoFor("sr-bvna").Covered, call.CoverageInfoFor("sr-bvna").PaNeeded));
    }

    [Fact]
    [Trait("Clause", "P8")]
    public async Task OrderSign_BvnaAlone_IsNotFlaggedForConcurrency()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("64629", "sr-bvna-addon"));

        Assert.False(HasRuleCard(call, "P8"), call.Body);
    }

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData(2, false)]
    [InlineData(3, true)]
    public async Task OrderSign_BvnaAddOnUnitsFromQuantity_FlagsUnitsBeyondL3ToS1(int units, bool flagged)
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("64629", "sr-bvna-addon", units));

        Assert.Equal(flagged, HasRuleCard(call, "P7.15"));
    }

    [Fact]
    [Trait("Clause", "P2")]
    public async Task OrderSign_OrderNotGoverned_GetsThePayersDefaultAndNoCard()
    {
        var knee = CrdTestData.Order("27447", "sr-knee");
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(knee)
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        // CRD 2.0.1: a primary hook answers every order; outside every loaded policy the payer's
        // default (UngovernedServices: not on the PA list, coverage by the member's benefits) answers.
        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Empty(call.Cards);
        var info = call.CoverageInfoFor("sr-knee");
        Assert.Equal(("conditional", "no-auth", null), (info.Covered, info.PaNeeded, info.DocNeeded));
        Assert.Equal("27447", info.BillingCode);
        Assert.Null(info.Questionnaire);
        Assert.Contains("not governed", info.Reason, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_MixedGovernedAndOtherOrders_AnswersEachByItsOwnRule()
    {
        var call = await SignAsync(50, "MGB-COMMERCIAL", CrdTestData.Order("64493", "sr-facet"), CrdTestData.Order("27447", "sr-knee"));

        Assert.Equal(["sr-facet", "sr-knee"], call.UpdatedResources.Select(r => r.Id).Order());
        Assert.Equal(("auth-needed", "clinical"), (call.CoverageInfoFor("sr-facet").PaNeeded, call.CoverageInfoFor("sr-facet").DocNeeded));
        Assert.Equal(("no-auth", null), (call.CoverageInfoFor("sr-knee").PaNeeded, call.CoverageInfoFor("sr-knee").DocNeeded));
        Assert.DoesNotContain(call.CardSummaries, s => s.Contains("27447", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_UnknownPlan_AnswersConditionalWithDocumentation()
    {
        var call = await SignAsync(50, "SOMEONE-ELSES-PLAN", CrdTestData.Order("64493", "sr-facet"));

        var info = call.CoverageInfoFor("sr-facet");
        Assert.Equal(("conditional", "conditional", "conditional"), (info.Covered, info.PaNeeded, info.DocNeeded));
        Assert.NotNull(info.Questionnaire);
    }
}
