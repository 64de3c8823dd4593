using CsCheck;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine.Tests.Properties;

/// <summary>
/// Properties of the policy engine over thousands of generated cases (CsCheck, which shrinks a
/// failure to a small counterexample and prints its seed for reproduction).
/// </summary>
public sealed class DecisionPropertiesTests
{
    private const long Iterations = 3000;
    private static readonly Policy Policy = PolicyFixture.Policy;
    private static readonly NecessityEngine Necessity = new(Policy);
    private static readonly CoverageEngine Coverage = new(Policy);

    private static readonly CriterionDefinition[] BvnaBooleanExclusions =
        [.. Policy.CriteriaFor("bvna").Where(c => c.Role == CriterionRole.Exclusion && c.Type == CriterionType.Boolean)];

    /// <summary>Product lines on which BVNA needs prior authorization (so the criteria are evaluated).</summary>
    private static readonly string[] BvnaReviewedLines =
        [.. PolicyGenerators.ProductLines.Where(l => Policy.PriorAuthorizationFor(l, "64628") == PriorAuthRequirement.Required)];

    [Fact]
    [Trait("Clause", "P7")]
    public void Bvna_AnyExclusionPresent_NeverApproved()
    {
        var gen = Gen.Select(PolicyGenerators.Case("bvna"), Gen.OneOf(BvnaBooleanExclusions));
        gen.Sample((@case, exclusion) =>
        {
            if (!NecessityEngine.IsEnabled(exclusion, @case.Answers))
            {
                return;
            }

            var withExclusion = @case.WithAnswer(exclusion.Code, new BooleanAnswer(true));
            var determination = Necessity.Evaluate(withExclusion.Necessity);

            Assert.NotEqual(DeterminationOutcome.Approved, determination.Outcome);
            if (BvnaReviewedLines.Contains(@case.ProductLine))
            {
                // P7: an exclusion decides the case; no other answer can pend or approve it.
                Assert.Equal(DeterminationOutcome.Denied, determination.Outcome);
                Assert.Contains(determination.Reasons, r => r.Kind == FindingKind.ExclusionPresent && r.CriterionCode == exclusion.Code);
            }
        }, iter: Iterations, print: t => $"{t.Item1} + {t.Item2.Code}=true");
    }

    [Fact]
    public void Decision_SameFactsTwice_SameOutcomeAndReasons()
    {
        PolicyGenerators.Case().Sample(@case =>
        {
            var first = Necessity.Evaluate(@case.Necessity);
            var second = Necessity.Evaluate(@case.Necessity);
            var reordered = Necessity.Evaluate((@case with { Answers = @case.Answers.Reverse().ToDictionary(StringComparer.Ordinal) }).Necessity);

            Assert.Equal(first.Outcome, second.Outcome);
            Assert.Equal(first.Reasons, second.Reasons);
            Assert.Equal(first.MissingCriteria, second.MissingCriteria);

            // The order answers arrive in is not a fact.
            Assert.Equal(first.Outcome, reordered.Outcome);
            Assert.Equal(first.Reasons.ToHashSet(), reordered.Reasons.ToHashSet());
            Assert.Equal(Coverage.Assess(@case.Coverage), Coverage.Assess(@case.Coverage), OrderCoverageComparer.Instance);
        }, iter: Iterations);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public void CoverageAndNecessity_SameFacts_AgreeOnP3()
    {
        PolicyGenerators.Case().Sample(@case =>
        {
            var coverage = Coverage.Assess(@case.Coverage, @case.Order)!;
            var decision = Necessity.Evaluate(@case.Necessity);

            switch (coverage.PriorAuthorization)
            {
                case PriorAuthStatus.NotApplicable when coverage.Findings[0].Kind == FindingKind.NotPayable:
                    Assert.Equal(CoverageStatus.NotCovered, coverage.Coverage);
                    Assert.Equal(DeterminationOutcome.NotPayable, decision.Outcome);
                    break;
                case PriorAuthStatus.NotApplicable:
                    // A3 known when the order is signed: PAS denies whatever the answers say (unless they contradict the form).
                    Assert.Equal(CoverageStatus.NotCovered, coverage.Coverage);
                    Assert.Contains(decision.Outcome, new[] { DeterminationOutcome.Denied, DeterminationOutcome.Rejected });
                    break;
                case PriorAuthStatus.NoAuth:
                    Assert.Equal(DeterminationOutcome.NoAuthorizationRequired, decision.Outcome);
                    break;
                case PriorAuthStatus.AuthNeeded:
                    Assert.DoesNotContain(decision.Outcome, new[] { DeterminationOutcome.NotPayable, DeterminationOutcome.NoAuthorizationRequired });
                    break;
                default:
                    Assert.Fail($"Unexpected pa-needed {coverage.PriorAuthorization} for a known product line.");
                    break;
            }

            // Both see the same request-level problems (P2 add-on, P8 concurrency, unit limits).
            var requestLevel = new[] { FindingKind.AddOnWithoutPrimary, FindingKind.ConcurrentProcedure, FindingKind.UnitsBeyondLimit };
            if (decision.Outcome is DeterminationOutcome.Denied or DeterminationOutcome.Pended or DeterminationOutcome.Approved)
            {
                Assert.Equal(
                    coverage.Findings.Where(f => requestLevel.Contains(f.Kind)).Select(f => f.Kind).ToHashSet(),
                    decision.Reasons.Where(f => requestLevel.Contains(f.Kind)).Select(f => f.Kind).ToHashSet());
            }
        }, iter: Iterations);
    }

    [Fact]
    [Trait("Clause", "P1")]
    [Trait("Clause", "P6")]
    public void Decision_RaisingAgeAboveMinimum_NeverTurnsApprovalIntoDenial()
    {
        Gen.Select(PolicyGenerators.Case(), Gen.Int[1, 40]).Sample((@case, years) =>
        {
            var minimum = Policy.FamilyOf(@case.Order.CptCode)!.MinimumAge.Years;
            var younger = @case.WithAge(Math.Max(minimum, @case.AgeYears ?? minimum));
            var older = younger.WithAge(younger.AgeYears + years);

            var before = Necessity.Evaluate(younger.Necessity).Outcome;
            var after = Necessity.Evaluate(older.Necessity).Outcome;

            // Above the minimum age, age is not a fact the policy weighs at all.
            Assert.Equal(before, after);
        }, iter: Iterations);
    }

    [Fact]
    [Trait("Clause", "P7")]
    public void Decision_RemovingAnExclusion_NeverMakesTheOutcomeWorse()
    {
        Gen.Select(PolicyGenerators.Case(), Gen.Int[0, int.MaxValue]).Sample((@case, pick) =>
        {
            var present = Policy.CriteriaFor(Policy.FamilyOf(@case.Order.CptCode)!.Code)
                .Where(c => c.Role == CriterionRole.Exclusion && c.Type == CriterionType.Boolean
                    && @case.Answers.TryGetValue(c.Code, out var a) && a is BooleanAnswer { Value: true })
                .ToList();
            if (present.Count == 0)
            {
                return;
            }

            var removed = present[pick % present.Count];
            var before = Necessity.Evaluate(@case.Necessity).Outcome;
            var after = Necessity.Evaluate(@case.WithAnswer(removed.Code, new BooleanAnswer(false)).Necessity).Outcome;

            Assert.True(Rank(after) >= Rank(before), $"removing {removed.Code} turned {before} into {after}");
        }, iter: Iterations);
    }

    [Fact]
    public void Decision_AnswerToDisabledCriterion_AlwaysRejected()
    {
        var gated = Policy.Criteria.Where(c => c.AskedWhen is not null).ToArray();
        Gen.Select(PolicyGenerators.Case(), Gen.OneOf(gated), Gen.Int[0, int.MaxValue], Gen.Bool).Sample((@case, criterion, seed, omitGate) =>
        {
            var line = PolicyGenerators.ProductLines.First(l => Policy.PriorAuthorizationFor(l, CodeOf(criterion.Family)) == PriorAuthRequirement.Required);
            var order = new OrderedService("order-0", CodeOf(criterion.Family));
            var answers = PolicyGenerators.ValidAnswers(criterion.Family, new Random(seed));

            // Close the gate (answer it the other way, or leave it unanswered), then answer behind it.
            if (omitGate)
            {
                answers.Remove(criterion.AskedWhen!.Criterion);
            }
            else
            {
                answers[criterion.AskedWhen!.Criterion] = new BooleanAnswer(!criterion.AskedWhen.EqualsValue);
            }

            foreach (var dependent in Policy.Criteria.Where(c => c.AskedWhen?.Criterion == criterion.AskedWhen.Criterion))
            {
                answers.Remove(dependent.Code);
            }

            answers[criterion.Code] = PolicyGenerators.AnswerFor(criterion, new Random(seed));
            var decision = Necessity.Evaluate(new NecessityRequest(line, AgeFacts.Stated(@case.AgeYears), order, [order], answers));

            Assert.Equal(DeterminationOutcome.Rejected, decision.Outcome);
            Assert.Contains(decision.Reasons, r => r.Kind == FindingKind.InvalidAnswer && r.CriterionCode == criterion.Code);
        }, iter: Iterations);
    }

    /// <summary>A primary code of the family (no add-on, no unit limit in play).</summary>
    private static string CodeOf(string family) => family switch
    {
        "bvna" => "64628",
        "facet" => "64490",
        _ => "62321",
    };

    /// <summary>Worse to better for the member: a denial, a pend, an approval.</summary>
    private static int Rank(DeterminationOutcome outcome) => outcome switch
    {
        DeterminationOutcome.Denied => 0,
        DeterminationOutcome.Rejected => 0,
        DeterminationOutcome.Pended => 1,
        _ => 2,
    };

    private sealed class OrderCoverageComparer : IEqualityComparer<OrderCoverage>
    {
        public static readonly OrderCoverageComparer Instance = new();

        public bool Equals(OrderCoverage? x, OrderCoverage? y) =>
            x is not null && y is not null && x.Order == y.Order && x.Coverage == y.Coverage && x.PriorAuthorization == y.PriorAuthorization
            && x.Findings.SequenceEqual(y.Findings);

        public int GetHashCode(OrderCoverage obj) => HashCode.Combine(obj.Order, obj.Coverage, obj.PriorAuthorization);
    }
}
