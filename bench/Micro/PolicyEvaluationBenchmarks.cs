using BenchmarkDotNet.Attributes;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Micro;

/// <summary>
/// One order through the engines, as CRD (Assess) and PAS/DTR (Evaluate) do per request.
/// Targets (issue 6): ≤ 5 µs and ≤ 2 KB allocated per policy evaluation.
/// </summary>
[MemoryDiagnoser]
public class PolicyEvaluationBenchmarks
{
    private CoverageEngine _coverage = null!;
    private NecessityEngine _necessity = null!;
    private CoverageQuery _bvnaCommercial = null!;
    private CoverageQuery _injectionNoPa = null!;
    private NecessityRequest _bvnaApprovable = null!;
    private NecessityRequest _bvnaExcluded = null!;

    [GlobalSetup]
    public void Setup()
    {
        var policy = BenchPolicy.Load();
        _coverage = new CoverageEngine(policy);
        _necessity = new NecessityEngine(policy);

        var bvna = new OrderedService("order-1", "64628");
        _bvnaCommercial = new CoverageQuery("commercial", AgeFacts.Stated(52), [bvna]);
        _injectionNoPa = new CoverageQuery("commercial", AgeFacts.Stated(52), [new OrderedService("order-1", "62324")]);

        var answers = ApprovableAnswers.For(policy, "bvna");
        _bvnaApprovable = new NecessityRequest("commercial", AgeFacts.Stated(52), bvna, [bvna], answers);
        var excluded = new Dictionary<string, CriterionAnswer>(answers, StringComparer.Ordinal) { ["bvna-radicular-pain"] = new BooleanAnswer(true) };
        _bvnaExcluded = new NecessityRequest("commercial", AgeFacts.Stated(52), bvna, [bvna], excluded);

        // Measure the paths we mean to measure, or stop.
        Expect(_coverage.Assess(_bvnaCommercial).Single().PriorAuthorization == PriorAuthStatus.AuthNeeded, "BVNA commercial needs PA");
        Expect(_coverage.Assess(_injectionNoPa).Single().PriorAuthorization == PriorAuthStatus.NoAuth, "62324 commercial needs no PA");
        Expect(_necessity.Evaluate(_bvnaApprovable).Outcome == DeterminationOutcome.Approved, "approvable BVNA is approved");
        Expect(_necessity.Evaluate(_bvnaExcluded).Outcome == DeterminationOutcome.Denied, "BVNA with radicular pain is denied");
    }

    [Benchmark(Description = "CoverageEngine.Assess BVNA commercial (PA needed)")]
    public IReadOnlyList<OrderCoverage> AssessBvnaCommercial() => _coverage.Assess(_bvnaCommercial);

    [Benchmark(Description = "CoverageEngine.Assess 62324 commercial (no PA)")]
    public IReadOnlyList<OrderCoverage> AssessInjectionNoPa() => _coverage.Assess(_injectionNoPa);

    [Benchmark(Description = "NecessityEngine.Evaluate BVNA approvable")]
    public Determination EvaluateBvnaApproved() => _necessity.Evaluate(_bvnaApprovable);

    [Benchmark(Description = "NecessityEngine.Evaluate BVNA excluded (P7.1)")]
    public Determination EvaluateBvnaDenied() => _necessity.Evaluate(_bvnaExcluded);

    internal static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Benchmark setup: expected {what}.");
        }
    }
}
