using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>P13: the policy is data. A revised document (62324–62327 made "PA required") changes CRD's answers with no code change.</summary>
public sealed class PolicyRevisionTests : IDisposable
{
    private readonly string _revisedPolicyPath = Path.Combine(Path.GetTempPath(), $"policy-097-revised-{Guid.NewGuid():N}.json");

    [Fact]
    [Trait("Clause", "P13")]
    [Trait("Clause", "P3")]
    public async Task OrderSign_CatheterEsiAfterPolicyRevision_NeedsPriorAuthorization()
    {
        var document = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryPaths.PolicyDocument))!;
        document["version"] = "2026.04.0";
        foreach (var (_, groups) in document["priorAuthorization"]!.AsObject())
        {
            groups!["esi-interlaminar-catheter"] = "required";
        }

        await File.WriteAllTextAsync(_revisedPolicyPath, document.ToJsonString());
        using var current = new CrdApp();
        using var revised = CrdApp.With(new Dictionary<string, string?> { ["Policy:Path"] = _revisedPolicyPath });
        JsonNode Request() => new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("62325", "sr-catheter"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-MEDICARE-ADVANTAGE"))
            .Build();

        var before = await current.CallAsync("order-sign-crd", Request());
        var after = await revised.CallAsync("order-sign-crd", Request());

        Assert.Equal("no-auth", before.CoverageInfoFor("sr-catheter").PaNeeded);
        var info = after.CoverageInfoFor("sr-catheter");
        Assert.Equal("auth-needed", info.PaNeeded);
        Assert.Equal("https://spinepolicy.example.org/fhir/Questionnaire/esi-097|2026.01.1", info.Questionnaire);
        Assert.Contains(after.Cards, c => c.GetProperty("detail").GetString()!.Contains("version 2026.04.0", StringComparison.Ordinal));
    }

    public void Dispose() => File.Delete(_revisedPolicyPath);
}
