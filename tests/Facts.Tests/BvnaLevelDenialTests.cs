using System.Globalization;
using SpinePolicy.Facts.Tests.Support;

namespace SpinePolicy.Facts.Tests;

/// <summary>P7.15: a denial for levels outside L3–S1 names each offending level and its side, in DTR and PAS alike.</summary>
public sealed class BvnaLevelDenialTests : IClassFixture<BvnaLevelDenialTests.Server>
{
    private readonly ThreeSlices _slices;

    public BvnaLevelDenialTests(Server server) => _slices = server.Slices;

    [Theory]
    [Trait("Clause", "P7.15")]
    [InlineData(new[] { "T12", "L1" }, "T12 is above L3; L1 is above L3")]
    [InlineData(new[] { "L5", "S2" }, "S2 is below S1")]
    public async System.Threading.Tasks.Task Bvna_LevelsOutsideL3ToS1_DenialNamesTheOffendingLevelInDtrAndPas(string[] levels, string named)
    {
        var member = new Member("1970-05-04", Id: $"member-{Guid.NewGuid():N}"[..20]);
        var order = Order.On("bvna", "64628", DateTime.UtcNow.Date.AddDays(30).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        var form = Form.ApprovableBvna(_slices.Policy, _slices.Catalog, levels);

        var (_, dtr) = await _slices.NextQuestionAsync(form.Build(member, [order], containPatient: true));
        var (_, pas) = await _slices.SubmitAsync(PasBundle.For(member, [order], [form.Build(member, [order])]));

        Assert.Equal("not-covered", Answers.CoverageInformation(dtr)["covered"]);
        Assert.Contains(named, Answers.CoverageInformation(dtr)["reason"], StringComparison.Ordinal);
        Assert.Equal(["A3"], Answers.Actions(pas));
        Assert.Contains(named, Answers.Notes(pas), StringComparison.Ordinal);
    }

    public sealed class Server : IDisposable
    {
        public ThreeSlices Slices { get; } = new();

        public void Dispose() => Slices.Dispose();
    }
}
