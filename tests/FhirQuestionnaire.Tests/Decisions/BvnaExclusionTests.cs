using SpinePolicy.FhirQuestionnaire.Tests.Support;

namespace SpinePolicy.FhirQuestionnaire.Tests.Decisions;

/// <summary>P7: each of the sixteen exclusions alone turns an approvable BVNA case into a denial naming it.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class BvnaExclusionTests(DtrAppFixture fixture)
{
    public static TheoryData<string, string> Exclusions() => new()
    {
        { "P7.1", "radicular pain" },
        { "P7.2", "previous lumbar spine surgery" },
        { "P7.3", "symptomatic spinal stenosis" },
        { "P7.4", "spine or systemic infection" },
        { "P7.5", "osteoporosis or fragility fracture" },
        { "P7.6", "vertebral fracture within a year" },
        { "P7.7", "spine malignancy" },
        { "P7.8", "spondylolisthesis of 3 mm" },
        { "P7.9", "spondylolysis" },
        { "P7.10", "severe cardiopulmonary disease" },
        { "P7.11", "BMI 42" },
        { "P7.12", "poorly controlled psychiatric disease" },
        { "P7.13", "bedbound" },
        { "P7.14", "pregnancy" },
        { "P7.15", "treatment of L2" },
        { "P7.16", "repeat BVNA on L4" },
    };

    [Fact]
    [Trait("Clause", "P6")]
    public async Task BvnaCase_MeetingTheIndicationsWithoutExclusions_IsCovered()
    {
        var outcome = await DecisionSteps.DecideAsync(fixture.Client, CaseBuilder.ApprovableBvna());

        Assert.Equal("covered", outcome.Covered);
        Assert.True(outcome.HasReasonFor("P6"), outcome.ToString());
    }

    [Theory]
    [MemberData(nameof(Exclusions))]
    [Trait("Clause", "P7")]
    public async Task BvnaCase_WithOneExclusion_IsNotCoveredNamingTheExclusion(string clause, string description)
    {
        var @case = WithExclusion(CaseBuilder.ApprovableBvna(), clause);

        var outcome = await DecisionSteps.DecideAsync(fixture.Client, @case);

        Assert.True(outcome.Covered == "not-covered", $"{description}: {outcome}");
        Assert.True(outcome.HasReasonFor(clause), $"{description}: {outcome}");
        // The exclusion alone, and the version of the policy that decided (P13).
        Assert.Single(outcome.Reasons, r => !r.StartsWith("Decided under Medical Policy 097 version", StringComparison.Ordinal));
        Assert.Equal("Decided under Medical Policy 097 version 2026.01.0 (in force from 2026-01-01).", outcome.Reasons[^1]);
    }

    private static CaseBuilder WithExclusion(CaseBuilder @case, string clause) => clause switch
    {
        "P7.1" => @case.With("bvna-radicular-pain", true),
        "P7.2" => @case.With("bvna-prior-lumbar-surgery", true),
        "P7.3" => @case.With("bvna-symptomatic-spinal-stenosis", true),
        "P7.4" => @case.With("bvna-spine-or-systemic-infection", true),
        "P7.5" => @case.With("bvna-osteoporosis-or-fragility-fracture", true),
        "P7.6" => @case.With("bvna-vertebral-fracture-past-year", true),
        "P7.7" => @case.With("bvna-spine-malignancy", true),
        "P7.8" => @case.With("bvna-spondylolisthesis", true).WithDecimal("bvna-spondylolisthesis-mm", 3m),
        "P7.9" => @case.With("bvna-spondylolysis", true),
        "P7.10" => @case.With("bvna-severe-cardiopulmonary-disease", true),
        "P7.11" => @case.WithDecimal("bvna-bmi", 42m),
        "P7.12" => @case.With("bvna-poorly-controlled-psychiatric-disease", true),
        "P7.13" => @case.With("bvna-bedbound-or-immobilizing-neurologic-condition", true),
        "P7.14" => @case.With("bvna-pregnancy-possible", true).With("bvna-pregnancy", true),
        "P7.15" => @case.WithLevels("bvna-treated-levels", "L2", "L3"),
        "P7.16" => @case.With("bvna-prior-bvna", true).WithLevels("bvna-previously-treated-levels", "L4"),
        _ => throw new ArgumentOutOfRangeException(nameof(clause), clause, "not a P7 exclusion"),
    };
}
