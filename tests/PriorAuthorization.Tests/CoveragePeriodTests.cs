using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// The member's Coverage must be in force on the date of service: a Coverage whose period does not
/// hold it, or that is not active, is not certified on — the request pends (A4) for an eligibility
/// check, saying why; a Coverage with no period is open-ended.
/// </summary>
[Collection(PasCollection.Name)]
public sealed class CoveragePeriodTests(PasHostFixture fixture)
{
    private readonly PasHost _host = fixture.Host;

    private PasRequestBuilder ApprovableBvna() => new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));

    [Theory]
    [Trait("Clause", "P3")]
    [InlineData("2025-01-01", "2025-12-31", "2025-01-01 to 2025-12-31")]
    [InlineData("2026-04-01", null, "from 2026-04-01")]
    [InlineData(null, "2026-03-01", "until 2026-03-01")]
    public async Task Submit_CoveragePeriodWithoutTheDateOfService_PendsSayingTheCoverageIsNotInForce(string? start, string? end, string period)
    {
        var request = ApprovableBvna();
        request.CoveragePeriod = new Period(start is null ? null : new FhirDateTime(start), end is null ? null : new FhirDateTime(end));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Null(answer.ClaimResponse.PreAuthRef);
        var notes = answer.NotesOf(1);
        Assert.Contains("not in force on the date of service 2026-03-02", notes, StringComparison.Ordinal);
        Assert.Contains(period, notes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task Submit_CoverageNotActive_Pends()
    {
        var request = ApprovableBvna();
        request.CoverageStatus = FinancialResourceStatusCodes.Cancelled;

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A4", answer.ActionOf(1));
        Assert.Contains("Coverage is cancelled", answer.NotesOf(1), StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P3")]
    [InlineData("2026-01-01", "2026-12-31")]
    [InlineData("2026-03-02", "2026-03-02")]
    [InlineData("2026", null)]
    [InlineData(null, null)]
    public async Task Submit_CoveragePeriodHoldingTheDateOfService_IsCertified(string? start, string? end)
    {
        var request = ApprovableBvna();
        request.CoveragePeriod = start is null && end is null ? null : new Period(start is null ? null : new FhirDateTime(start), end is null ? null : new FhirDateTime(end));

        var answer = await _host.SubmitAsync(request.Build());

        Assert.Equal("A1", answer.ActionOf(1));
    }
}
