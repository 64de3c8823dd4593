using System.Text.Json;
using System.Text.Json.Nodes;
using SpinePolicy.PriorAuthorization.Impact;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// P13: `policy diff` re-decides the stored requests under a candidate version and reports what
/// would change per product line and code, with counts and request ids (issue #12). The candidate
/// here lowers the P7.11 BMI limit from 40 to 35.
/// </summary>
public sealed class PolicyDiffCommandTests : IDisposable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly PasHost _host = new();
    private readonly string _candidate = Path.Combine(Path.GetTempPath(), $"policy-097-candidate-{Guid.NewGuid():N}.json");

    public void Dispose()
    {
        _host.Dispose();
        File.Delete(_candidate);
    }

    [Fact]
    [Trait("Clause", "P13")]
    [Trait("Clause", "P7.11")]
    public async Task PolicyDiff_LowerBmiLimit_ReportsTheCertifiedBvnaThatWouldBeDeniedPerProductLineAndCode()
    {
        var bmi38 = await SubmitBvnaAsync("MGB-COMMERCIAL", 38m);
        var bmi38MedicareAdvantage = await SubmitBvnaAsync("MGB-MEDICARE-ADVANTAGE", 38m);
        var bmi28 = await SubmitBvnaAsync("MGB-COMMERCIAL", 28.5m);
        var esi = await _host.SubmitAsync(new PasRequestBuilder().Line("64483").WithAnswers(_host.Fill(Answers.AllMet("esi"))).Build());
        Assert.Equal("A1", esi.ActionOf(1));
        WriteCandidate(bmiLimit: 35);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PolicyDiffCommand.RunAsync(_host.Services, ["policy", "diff", RepositoryPaths.PolicyDocument, _candidate], output, error, CancellationToken.None);

        Assert.True(exit == 0, error.ToString());
        var report = JsonSerializer.Deserialize<PolicyImpactReport>(output.ToString(), Json)!;
        Assert.Equal("https://spinepolicy.example.org/fhir/policy/097|2026.01.0", report.From);
        Assert.Equal("https://spinepolicy.example.org/fhir/policy/097|2026.02.0", report.To);
        Assert.Equal(4, report.RequestsReDecided);
        Assert.Equal(4, report.LinesCompared);
        Assert.Equal(2, report.LinesChanged);
        Assert.Equal(
        [
            new("commercial", "64628", "A1", "A3", 1, [bmi38]),
            new("medicare-advantage", "64628", "A1", "A3", 1, [bmi38MedicareAdvantage]),
        ],
        report.Changes.Select(c => c with { Requests = [.. c.Requests] }).ToList(), new ChangeComparer());
        Assert.DoesNotContain(report.Changes, c => c.Requests.Contains(bmi28));
        Assert.Empty(report.Skipped);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public async Task PolicyDiff_SameVersionOnBothSides_ReportsNoChange()
    {
        await SubmitBvnaAsync("MGB-COMMERCIAL", 38m);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PolicyDiffCommand.RunAsync(_host.Services, ["policy", "diff", RepositoryPaths.PolicyDocument, RepositoryPaths.PolicyDocument], output, error, CancellationToken.None);

        Assert.Equal(0, exit);
        var report = JsonSerializer.Deserialize<PolicyImpactReport>(output.ToString(), Json)!;
        Assert.Equal(1, report.RequestsReDecided);
        Assert.Equal(0, report.LinesChanged);
        Assert.Empty(report.Changes);
    }

    [Theory]
    [InlineData("policy", "diff", "only-one.json")]
    [InlineData("policy", "diff", "a.json", "b.json", "--format", "html")]
    public async Task PolicyDiff_WrongArguments_UsageError(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PolicyDiffCommand.RunAsync(_host.Services, args, output, error, CancellationToken.None);

        Assert.Equal(PolicyDiffCommand.UsageError, exit);
        Assert.Contains("usage: policy diff", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PolicyDiff_MissingCandidate_DataErrorNamingIt()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exit = await PolicyDiffCommand.RunAsync(_host.Services, ["policy", "diff", RepositoryPaths.PolicyDocument, "/no/such/candidate.json"], output, error, CancellationToken.None);

        Assert.Equal(PolicyDiffCommand.DataError, exit);
        Assert.Contains("candidate.json", error.ToString(), StringComparison.Ordinal);
    }

    private async Task<string> SubmitBvnaAsync(string plan, decimal bmi)
    {
        var answer = await _host.SubmitAsync(new PasRequestBuilder { Plan = plan }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-bmi", bmi))).Build());
        Assert.Equal("A1", answer.ActionOf(1));
        return answer.ClaimResponse.Id!;
    }

    /// <summary>The current document revised as a committee would: a new version with a lower P7.11 BMI limit.</summary>
    private void WriteCandidate(int bmiLimit)
    {
        var document = JsonNode.Parse(File.ReadAllText(RepositoryPaths.PolicyDocument))!.AsObject();
        document["version"] = "2026.02.0";
        var bmi = document["criteria"]!.AsArray().Single(c => (string?)c!["code"] == "bvna-bmi")!;
        bmi["rule"]!["threshold"] = bmiLimit;
        File.WriteAllText(_candidate, document.ToJsonString());
    }

    private sealed class ChangeComparer : IEqualityComparer<PolicyImpactChange>
    {
        public bool Equals(PolicyImpactChange? x, PolicyImpactChange? y) =>
            x is not null && y is not null && x with { Requests = [] } == y with { Requests = [] } && x.Requests.SequenceEqual(y.Requests);

        public int GetHashCode(PolicyImpactChange obj) => obj.Code.GetHashCode(StringComparison.Ordinal);
    }
}
