using SpinePolicy.Facts.Tests.Support;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.Facts.Tests;

/// <summary>
/// P13: the version of the policy in force on the date of service decides, in CRD, DTR and PAS
/// alike; before the first version, and where a version's content is not on file, the request is
/// pended with a reason naming the gap.
/// </summary>
public sealed class PolicyVersionOnDateOfServiceTests : IClassFixture<PolicyVersionOnDateOfServiceTests.Server>
{
    private readonly ThreeSlices _slices;

    public PolicyVersionOnDateOfServiceTests(Server server) => _slices = server.Slices;

    [Fact]
    [Trait("Clause", "P13")]
    public async System.Threading.Tasks.Task Bvna_DateOfServiceBeforeTheFirstVersion_PendedNamingTheGapInCrdDtrAndPas()
    {
        var outcome = await DecideAsync("2025-07-15");

        Assert.Equal("conditional", outcome.Crd["covered"]);
        Assert.Contains("No version of Medical Policy 097 was in force on 2025-07-15", outcome.Crd["reason"], StringComparison.Ordinal);
        Assert.Equal("conditional", outcome.Dtr["covered"]);
        Assert.Contains("took effect on 2025-08-01", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A4"], outcome.Pas);
        Assert.Contains("No version of Medical Policy 097 was in force on 2025-07-15", outcome.PasNotes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public async System.Threading.Tasks.Task Bvna_DateOfServiceUnderAugust2025Version_PendedBecauseItsBvnaCriteriaAreNotOnFile()
    {
        var outcome = await DecideAsync("2025-09-10");

        Assert.Equal("conditional", outcome.Dtr["covered"]);
        Assert.Contains("former policy #76", outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Equal(["A4"], outcome.Pas);
        Assert.Contains("Version 2025.08.0", outcome.PasNotes, StringComparison.Ordinal);
    }

    [Theory]
    [Trait("Clause", "P13")]
    [InlineData("2026-03-10", "2026.01.0", "2026-01-01")]
    [InlineData("2025-11-10", "2025.10.0", "2025-10-01")]
    public async System.Threading.Tasks.Task Bvna_DateOfService_AnswerNamesTheVersionInForceInCrdDtrAndPas(string dateOfService, string version, string effective)
    {
        var outcome = await DecideAsync(dateOfService);

        var named = $"Decided under Medical Policy 097 version {version} (in force from {effective}).";
        Assert.Contains(named, outcome.Crd["reason"], StringComparison.Ordinal);
        Assert.Contains(outcome.CardDetails, d => d.Contains($"version {version} (effective {effective})", StringComparison.Ordinal));
        Assert.Contains(named, outcome.Dtr["reason"], StringComparison.Ordinal);
        Assert.Contains($"version {version}, the version in force on the date of service", outcome.PasNotes, StringComparison.Ordinal);
        Assert.Equal([$"https://spinepolicy.example.org/fhir/policy/097|{version}"], outcome.PasPolicyTags);
    }

    [Fact]
    [Trait("Clause", "P13")]
    [Trait("Clause", "P3")]
    public async System.Threading.Tasks.Task Bvna_UnderOctober2025Version_PendedBecauseItsPriorAuthorizationTableIsNotOnFileStatingWhatTheCriteriaSay()
    {
        var outcome = await DecideAsync("2025-11-10");

        Assert.Equal("conditional", outcome.Crd["pa-needed"]);
        Assert.Contains(outcome.CardSummaries, s => s.Contains("not fully on file", StringComparison.Ordinal));
        Assert.Equal("conditional", outcome.Dtr["covered"]);
        Assert.Equal(["A4"], outcome.Pas);
        Assert.Contains("prior-authorization table of this version is not on file", outcome.PasNotes, StringComparison.Ordinal);
        Assert.Contains("On the criteria of version 2025.10.0 the request would be met", outcome.PasNotes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    [Trait("Clause", "P11")]
    public async System.Threading.Tasks.Task Bvna_OneCareMember_CitesTheOneCareVariationOnlyFromJanuary2026()
    {
        var january = await DecideAsync("2026-02-10", "MGB-ONECARE");
        var december = await DecideAsync("2025-12-10", "MGB-ONECARE");

        Assert.Equal(["A1"], january.Pas);
        Assert.Contains("P11", january.PasNotes, StringComparison.Ordinal);
        Assert.Equal(["A4"], december.Pas);
        Assert.DoesNotContain("P11", december.PasNotes, StringComparison.Ordinal);
        Assert.DoesNotContain("P11", december.Dtr["reason"], StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public async System.Threading.Tasks.Task Bvna_DateOfServiceBeforeTheFirstVersion_CrdCardSaysNoVersionWasInForce()
    {
        var outcome = await DecideAsync("2025-07-15");

        Assert.Contains(outcome.CardSummaries, s => s.Contains("no version of Medical Policy 097 was in force on the date of service", StringComparison.Ordinal));
        Assert.Contains(outcome.CardDetails, d => d.Contains("no version in force on the date of service for CPT 64628", StringComparison.Ordinal));
        Assert.Empty(outcome.PasPolicyTags);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public async System.Threading.Tasks.Task Esi_TwoItemsUnderTwoVersions_ClaimResponseNamesEachVersionWithItsItem()
    {
        var member = new Member("1970-05-04", Id: $"member-{Guid.NewGuid():N}"[..20]);
        Order[] orders = [Order.On("esi-december", "64483", "2025-12-20"), Order.On("esi-february", "64483", "2026-02-10")];
        var form = Form.ApprovableEsi(_slices.Policy, _slices.Catalog);

        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, orders, [form.Build(member, orders)]));

        Assert.Equal(["A4", "A1"], Answers.Actions(pas));
        var notes = Answers.Notes(pas);
        Assert.Contains("version 2025.10.0, the version in force on the date of service (item 1)", notes, StringComparison.Ordinal);
        Assert.Contains("version 2026.01.0, the version in force on the date of service (item 2)", notes, StringComparison.Ordinal);
    }

    private async System.Threading.Tasks.Task<Outcome> DecideAsync(string dateOfService, string plan = "MGB-COMMERCIAL")
    {
        var member = new Member("1970-05-04", plan, Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", dateOfService);
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        var tags = Answers.ClaimResponse(pas).Meta!.Tag.Where(t => t.System == ClaimResponseBuilder.PolicyVersionSystem).Select(t => t.Code!).ToList();
        return new Outcome(Answers.CardSummaries(crd), Answers.CardDetails(crd), Answers.CoverageInformation(crd).Single(), Answers.CoverageInformation(dtr), Answers.Actions(pas), Answers.Notes(pas), tags);
    }

    private sealed record Outcome(IReadOnlyList<string> CardSummaries, IReadOnlyList<string> CardDetails, Dictionary<string, string> Crd, Dictionary<string, string> Dtr, IReadOnlyList<string> Pas, string PasNotes, IReadOnlyList<string> PasPolicyTags);

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
