using System.Globalization;
using SpinePolicy.Facts.Tests.Support;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// P1/P6: the age limits apply to the member's age on the date of service (the order's
/// occurrence, the Claim item's serviced date), in CRD, DTR and PAS alike; a partial birth date whose
/// possible ages straddle a limit is an unknown age (pended for review), never an assumed one.
/// </summary>
public sealed class AgeOnDateOfServiceTests : IClassFixture<AgeOnDateOfServiceTests.Server>
{
    /// <summary>A fixed date of service in the future (so "today" never decides), under the current version.</summary>
    private const string DateOfService = "2027-06-15";

    private readonly ThreeSlices _slices;

    public AgeOnDateOfServiceTests(Server server) => _slices = server.Slices;

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_MemberTurns25AWeekBeforeTheDateOfService_CoveredInCrdDtrAndPas()
    {
        var outcome = await DecideAsync(Born(DateOnly.Parse(DateOfService, CultureInfo.InvariantCulture).AddDays(-7).AddYears(-25)));

        Assert.DoesNotContain(outcome.CardSummaries, s => s.Contains("minimum age", StringComparison.Ordinal));
        Assert.Equal("auth-needed", outcome.Crd["pa-needed"]);
        Assert.Equal("covered", outcome.Dtr["covered"]);
        Assert.Equal(["A1"], outcome.Pas);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async System.Threading.Tasks.Task Bvna_MemberTurns25AWeekAfterTheDateOfService_Under25InCrdDtrAndPas()
    {
        var outcome = await DecideAsync(Born(DateOnly.Parse(DateOfService, CultureInfo.InvariantCulture).AddDays(7).AddYears(-25)));

        Assert.Contains(outcome.CardSummaries, s => s.Contains("minimum age (P6)", StringComparison.Ordinal));
        Assert.Equal("not-covered", outcome.Dtr["covered"]);
        Assert.Contains("under 25", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A3"], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData("2002")]
    [InlineData("2002-06")]
    public async System.Threading.Tasks.Task Bvna_PartialBirthDateStraddling25_PendedInDtrAndPasAndFlaggedInCrd(string birthDate)
    {
        var outcome = await DecideAsync(birthDate);

        Assert.Contains(outcome.CardSummaries, s => s.Contains("age on the date of service is uncertain", StringComparison.Ordinal));
        Assert.Equal("conditional", outcome.Dtr["covered"]);
        Assert.Contains("may be 24 or 25", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A4"], outcome.Pas);
    }

    [Theory]
    [Trait("Clause", "P6")]
    [InlineData("2001", "covered", "A1")]
    [InlineData("2002-07", "not-covered", "A3")]
    [InlineData("2002-05", "covered", "A1")]
    public async System.Threading.Tasks.Task Bvna_PartialBirthDateOnOneSideOf25_DecidedInDtrAndPas(string birthDate, string covered, string action)
    {
        var outcome = await DecideAsync(birthDate);

        Assert.Equal(covered, outcome.Dtr["covered"]);
        Assert.Equal([action], outcome.Pas);
    }

    private static string Born(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private async System.Threading.Tasks.Task<Outcome> DecideAsync(string birthDate)
    {
        var member = new Member(birthDate, Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", DateOfService);
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        return new Outcome(Answers.CardSummaries(crd), Answers.CoverageInformation(crd).Single(), Answers.CoverageInformation(dtr), Answers.Actions(pas));
    }

    private sealed record Outcome(IReadOnlyList<string> CardSummaries, Dictionary<string, string> Crd, Dictionary<string, string> Dtr, IReadOnlyList<string> Pas);

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
