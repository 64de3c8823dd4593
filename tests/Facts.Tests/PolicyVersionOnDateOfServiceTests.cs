using SpinePolicy.Facts.Tests.Support;

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

    private async System.Threading.Tasks.Task<Outcome> DecideAsync(string dateOfService)
    {
        var member = new Member("1970-05-04", Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", dateOfService);
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog);

        var (_, crd) = await _slices.OrderSignAsync(member, order);
        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));
        return new Outcome(Answers.CardDetails(crd), Answers.CoverageInformation(crd).Single(), Answers.CoverageInformation(dtr), Answers.Actions(pas), Answers.Notes(pas));
    }

    private sealed record Outcome(IReadOnlyList<string> CardDetails, Dictionary<string, string> Crd, Dictionary<string, string> Dtr, IReadOnlyList<string> Pas, string PasNotes);

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
