using System.Net;
using SpinePolicy.CdsHooks.Tests.Support;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>P3: every product line × code group cell, through order-sign as an EHR calls it.</summary>
public sealed class PriorAuthorizationMatrixTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string Required = "required";
    private const string NoPa = "no-pa";
    private const string NotPayable = "not-payable";

    /// <summary>One representative code per P2 group: 62321, 62325, 64483, 64493, 64628.</summary>
    public static TheoryData<string, string, string, string> Cells()
    {
        var groups = new (string Code, string Questionnaire)[]
        {
            ("62321", "esi-097"), ("62325", "esi-097"), ("64483", "esi-097"), ("64493", "facet-097"), ("64628", "bvna-097"),
        };
        var lines = new (string Plan, string[] Expected)[]
        {
            ("MGB-COMMERCIAL", [Required, NoPa, Required, Required, Required]),
            ("MGB-QHP", [Required, NoPa, Required, Required, Required]),
            ("MGB-MASSHEALTH-ACO", [Required, NoPa, Required, Required, NotPayable]),
            ("MGB-MEDICARE-ADVANTAGE", [NoPa, NoPa, NoPa, NoPa, Required]),
            ("MGB-ONECARE", [NoPa, NoPa, NoPa, NoPa, Required]),
            ("MGB-SCO", [NoPa, NoPa, NoPa, NoPa, Required]),
        };
        var data = new TheoryData<string, string, string, string>();
        foreach (var (plan, expected) in lines)
        {
            for (var i = 0; i < groups.Length; i++)
            {
                data.Add(plan, groups[i].Code, expected[i], groups[i].Questionnaire);
            }
        }

        return data;
    }

    [Theory]
    [Trait("Clause", "P3")]
    [MemberData(nameof(Cells))]
    public async Task OrderSign_ProductLineAndCode_AnswersTheP3Cell(string plan, string cpt, string expected, string questionnaire)
    {
        var order = CrdTestData.Order(cpt, "sr-" + cpt);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(order)
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage(plan))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var info = call.CoverageInfoFor("sr-" + cpt);
        Assert.Equal("Coverage/cov-1", info.Coverage);
        Assert.Equal(cpt, info.BillingCode);
        Assert.Equal(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), info.Date);
        Assert.True(Guid.TryParse(info.AssertionId, out _));
        Assert.Contains("Medical Policy 097", info.Reason, StringComparison.Ordinal);
        switch (expected)
        {
            case Required:
                Assert.Equal(("covered", "auth-needed", "clinical"), (info.Covered, info.PaNeeded, info.DocNeeded));
                Assert.Equal(["withpa"], info.DocPurpose);
                Assert.Equal($"https://spinepolicy.example.org/fhir/Questionnaire/{questionnaire}|2026.01.1", info.Questionnaire);
                Assert.Contains(call.Cards, c => c.GetProperty("summary").GetString()!.StartsWith($"Prior authorization required for CPT {cpt}", StringComparison.Ordinal));
                break;
            case NoPa:
                Assert.Equal(("covered", "no-auth", (string?)null), (info.Covered, info.PaNeeded, info.DocNeeded));
                Assert.Null(info.Questionnaire);
                Assert.DoesNotContain("coverage-info", call.CardTopics);
                break;
            default:
                // P10: MassHealth does not pay for BVNA; not-covered carries no pa-needed (crd-ci-q2).
                Assert.Equal(("not-covered", (string?)null, (string?)null), (info.Covered, info.PaNeeded, info.DocNeeded));
                Assert.Null(info.Questionnaire);
                Assert.Contains(call.Cards, c => c.GetProperty("indicator").GetString() == "warning" && c.GetProperty("summary").GetString()!.Contains("not payable", StringComparison.Ordinal));
                break;
        }

        // Every governed answer links the policy (External Reference card).
        Assert.Contains("guideline", call.CardTopics);
    }
}
