using System.Globalization;
using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// The member's Coverage must be in force on the order's date of service: when its period does not
/// hold that date CRD does not claim coverage — conditional, with info-needed and a card saying the
/// coverage is not in force that day. A Coverage with no period is open-ended.
/// </summary>
public sealed class CoveragePeriodTests(CrdApp app) : IClassFixture<CrdApp>
{
    private static string Day(int fromToday) => DateTime.UtcNow.Date.AddDays(fromToday).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async Task<CrdCall> SignAsync(Period? period, HttpStatusCode expected = HttpStatusCode.OK)
    {
        var coverage = CrdTestData.Coverage("MGB-COMMERCIAL");
        coverage.Period = period;
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .Member(CrdTestData.Patient(50), coverage)
            .Build();
        var call = await app.CallAsync("order-sign-crd", body);
        Assert.Equal(expected, call.Status);
        return call;
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_CoverageEndedBeforeTheDateOfService_IsConditionalWithACard()
    {
        // The order states no date: its date of service is today; the Coverage ended last month.
        var call = await SignAsync(new Period(new FhirDateTime(Day(-400)), new FhirDateTime(Day(-30))));

        var info = call.CoverageInfoFor("sr-bvna");
        Assert.Equal(("conditional", "conditional"), (info.Covered, info.PaNeeded));
        Assert.Equal(["OTH"], info.InfoNeeded);
        Assert.Null(info.DocNeeded);
        Assert.Null(info.Questionnaire);
        Assert.Contains("not in force on the date of service", info.Reason, StringComparison.Ordinal);
        var card = Assert.Single(call.Cards, c => c.GetProperty("summary").GetString()!.Contains("coverage is not in force on the date of service", StringComparison.Ordinal));
        Assert.Contains($"{Day(-400)} to {Day(-30)}", card.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(call.CardSummaries, s => s.StartsWith("Prior authorization required", StringComparison.Ordinal));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_CoverageStartingAfterTheDateOfService_IsConditional()
    {
        var call = await SignAsync(new Period(new FhirDateTime(Day(30)), null));

        Assert.Equal(("conditional", "conditional"), (call.CoverageInfoFor("sr-bvna").Covered, call.CoverageInfoFor("sr-bvna").PaNeeded));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_CoveragePeriodHoldingTheDateOfServiceOrNone_IsCoveredWithAuthNeeded()
    {
        foreach (var period in new Period?[] { new(new FhirDateTime(Day(-30)), new FhirDateTime(Day(30))), new(new FhirDateTime(Day(-30)), null), null })
        {
            var call = await SignAsync(period);

            Assert.Equal(("covered", "auth-needed"), (call.CoverageInfoFor("sr-bvna").Covered, call.CoverageInfoFor("sr-bvna").PaNeeded));
        }
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_CoveragePeriodEndingBeforeItStarts_IsRefused()
    {
        var call = await SignAsync(new Period(new FhirDateTime(Day(10)), new FhirDateTime(Day(-10))), HttpStatusCode.UnprocessableEntity);

        Assert.Contains("Coverage.period ends before it starts", call.Body, StringComparison.Ordinal);
    }
}
