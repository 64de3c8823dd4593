using System.Text.Json.Nodes;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Tests;

public class PolicyDocumentReaderTests
{
    [Fact]
    [Trait("Clause", "P13")]
    public void Read_PublishedDocument_LoadsEveryClauseGroup()
    {
        var policy = PolicyFixture.Policy;

        Assert.Equal("097", policy.Document.PolicyNumber);
        Assert.Equal(6, policy.ProductLines.Count);
        Assert.Equal(20, policy.Document.CodeGroups.Sum(g => g.CptCodes.Count));
        // P7's sixteen exclusions, and P8 (concurrency), which the BVNA form also asks as an exclusion.
        Assert.Equal(16, policy.Criteria.Count(c => c.Role == CriterionRole.Exclusion && c.Clause.StartsWith("P7.", StringComparison.Ordinal)));
        Assert.Equal("bvna-concurrent-procedure", Assert.Single(policy.Criteria, c => c.Role == CriterionRole.Exclusion && c.Clause == "P8").Code);
    }

    public static TheoryData<string, string> Corruptions() => new()
    {
        // mutation (JSON path = replacement) → the field the error must name
        { "priorAuthorization.onecare.bvna=", "priorAuthorization.onecare.bvna" },
        { "codeGroups.0.family=surgery", "codeGroups[0].family" },
        { "addOnCodes.0.primaryCodes.0=99999", "addOnCodes[0].primaryCodes" },
        { "criteria.0.rule=", "criteria[0] (esi-radicular-pain-or-neurogenic-claudication).rule" },
        { "serviceFamilies.2.questionnaire.url=not a url", "serviceFamilies[2].questionnaire.url" },
        { "priorAuthorization.commercial.bvna=sometimes", "priorAuthorization.commercial.bvna" },
        { "version=", "version" },
    };

    [Theory]
    [Trait("Clause", "P13")]
    [MemberData(nameof(Corruptions))]
    public void Read_MalformedDocument_FailsNamingTheField(string mutation, string field)
    {
        var json = Mutate(PolicyFixture.Json, mutation);

        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Read(json));

        Assert.Contains(field, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P13")]
    public void Read_RevisedPriorAuthorizationTable_ChangesAnswersWithoutCodeChange()
    {
        // A revision moving 62324–62327 to "PA required" for commercial members.
        var revised = Mutate(PolicyFixture.Json, "priorAuthorization.commercial.esi-interlaminar-catheter=required");
        var before = new CoverageEngine(PolicyFixture.Policy);
        var after = new CoverageEngine(PolicyDocumentReader.Read(revised));
        var query = new CoverageQuery("commercial", AgeFacts.Stated(40), [new OrderedService("o1", "62326")]);

        Assert.Equal(PriorAuthStatus.NoAuth, Assert.Single(before.Assess(query)).PriorAuthorization);
        Assert.Equal(PriorAuthStatus.AuthNeeded, Assert.Single(after.Assess(query)).PriorAuthorization);
    }

    [Fact]
    public void Read_NotJson_FailsWithMessage()
    {
        var error = Assert.Throws<PolicyDocumentException>(() => PolicyDocumentReader.Read("{ not json"));

        Assert.StartsWith("Policy document is malformed", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Applies "a.b.0.c=value" (empty value removes the node) to a JSON document.</summary>
    private static string Mutate(string json, string mutation)
    {
        var (path, value) = (mutation[..mutation.IndexOf('=', StringComparison.Ordinal)], mutation[(mutation.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var root = JsonNode.Parse(json)!;
        var segments = path.Split('.');
        var parent = root;
        foreach (var segment in segments[..^1])
        {
            parent = int.TryParse(segment, out var index) ? parent![index]! : parent![segment]!;
        }

        var last = segments[^1];
        if (parent is JsonArray array)
        {
            array[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] = value;
        }
        else if (value.Length == 0)
        {
            parent!.AsObject().Remove(last);
        }
        else
        {
            parent![last] = value;
        }

        return root.ToJsonString();
    }
}
