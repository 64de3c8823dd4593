using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>
/// CRD's question: for each governed order, is it covered for this product line, is prior
/// authorization needed (P3), and which documentation is needed — under the version of the policy
/// in force on the order's date of service (P13). Pure: same query, same answer.
/// </summary>
public sealed class CoverageEngine(PolicyTimeline timeline)
{
    public CoverageEngine(Policy policy) : this(PolicyTimeline.Of(policy))
    {
    }

    public PolicyTimeline Timeline { get; } = timeline;

    /// <summary>The current version (for what does not depend on the date).</summary>
    public Policy Policy => Timeline.Current;

    public IReadOnlyList<OrderCoverage> Assess(CoverageQuery query)
    {
        var results = new List<OrderCoverage>(query.Orders.Count);
        foreach (var order in query.Orders)
        {
            if (Assess(query, order) is { } coverage)
            {
                results.Add(coverage);
            }
        }

        return results;
    }

    /// <summary>Null when the policy does not govern the order's code (P2).</summary>
    public OrderCoverage? Assess(CoverageQuery query, OrderedService order)
    {
        if (!Timeline.Governs(order.CptCode))
        {
            return null;
        }

        var policy = order.DateOfService is { } date ? Timeline.InForceOn(date.Start) : Timeline.Current;
        if (policy is null)
        {
            // P13: before the first version nothing the policy says applies; a clinician decides.
            var first = Timeline.First;
            var firstGroup = first.FindCodeGroup(order.CptCode) ?? Policy.FindCodeGroup(order.CptCode)!;
            var firstFamily = Policy.Family(firstGroup.Family);
            return new OrderCoverage(order, firstGroup, firstFamily, CoverageStatus.Conditional, PriorAuthStatus.Conditional, false, null, [Timeline.NotInForce(order.DateOfService!.Start)]);
        }

        if (policy.FindCodeGroup(order.CptCode) is not { } group)
        {
            return null;
        }

        var family = policy.Family(group.Family);
        if ((query.Term ?? CoverageTerm.Open).NotInForceOn(order.DateOfService) is { } notInForce)
        {
            // The Coverage does not hold the date of service (or is not active): nothing the plan says can be claimed for it.
            return Result(policy, order, group, family, CoverageStatus.Conditional, PriorAuthStatus.Conditional, false, [notInForce]);
        }

        var findings = new List<PolicyFinding>(4);

        if (!policy.IsProductLine(query.ProductLine))
        {
            findings.Add(UnknownProductLine.Finding(query.ProductLine, "coverage needs review"));
            return Result(policy, order, group, family, CoverageStatus.Conditional, PriorAuthStatus.Conditional, family.CriteriaNotOnFile is null, findings);
        }

        var requirement = policy.PriorAuthorizationFor(query.ProductLine, order.CptCode);
        var line = policy.FindProductLine(query.ProductLine)!;
        if (requirement == PriorAuthRequirement.NotPayable)
        {
            // P3/P10: MassHealth does not consider BVNA payable; no PA question arises.
            findings.Add(new PolicyFinding(FindingKind.NotPayable, line.VariationClause ?? "P3", $"{family.Display} ({order.CptCode}) is not payable for {line.Display} members."));
            return Result(policy, order, group, family, CoverageStatus.NotCovered, PriorAuthStatus.NotApplicable, false, findings);
        }

        AddIfPresent(findings, OrderSetRules.AddOnWithoutPrimary(policy, order, query.Orders, query.History));
        AddIfPresent(findings, OrderSetRules.BelowMinimumAge(family, query.Age, order.DateOfService));
        AddIfPresent(findings, OrderSetRules.ConcurrentProcedure(policy, order, query.Orders, query.History));
        AddIfPresent(findings, OrderSetRules.ConcurrentWithHeldProcedure(policy, order, query.History));
        AddIfPresent(findings, OrderSetRules.UnitsBeyondLimit(policy, order, query.Orders));

        if (requirement == PriorAuthRequirement.NotOnFile)
        {
            // P13: this version's table is not on file; whether PA is needed is for a clinician.
            findings.Insert(0, new PolicyFinding(FindingKind.PolicyContentNotOnFile, "P13", $"Version {policy.Version} of Medical Policy {policy.Document.PolicyNumber} (in force from {policy.Document.Effective:yyyy-MM-dd}): {policy.Document.PriorAuthorizationNotOnFile}"));
            return Result(policy, order, group, family, CoverageStatus.Conditional, PriorAuthStatus.Conditional, family.CriteriaNotOnFile is null, findings);
        }

        if (requirement == PriorAuthRequirement.Required)
        {
            // A3 known at order time: a finding PAS denies on whatever the questionnaire says (the
            // NecessityEngine's request-level denials, and the age where the family denies it) makes
            // the order not covered, with no PA question and no documentation (CRD crd-ci-q2). What
            // only the questionnaire can show (P7's exclusions) is not known here: covered/auth-needed.
            var denials = findings.Where(f => DeniedByPas(family, f)).ToList();
            if (denials.Count > 0)
            {
                findings.RemoveAll(denials.Contains);
                findings.InsertRange(0, denials);
                return Result(policy, order, group, family, CoverageStatus.NotCovered, PriorAuthStatus.NotApplicable, false, findings);
            }

            findings.Insert(0, new PolicyFinding(FindingKind.PriorAuthorizationRequired, "P3", $"Prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members."));
            return Result(policy, order, group, family, CoverageStatus.Covered, PriorAuthStatus.AuthNeeded, true, findings);
        }

        findings.Insert(0, new PolicyFinding(FindingKind.NoPriorAuthorizationRequired, "P3", $"No prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members."));
        return Result(policy, order, group, family, CoverageStatus.Covered, PriorAuthStatus.NoAuth, false, findings);
    }

    /// <summary>
    /// Whether PAS (<see cref="Necessity.NecessityEngine"/>) denies on this finding alone: an add-on
    /// without its primary, a procedure surely on the same day as BVNA (P8), units beyond the limit —
    /// even where the family's criteria are not on file — and an age certainly under a minimum the
    /// family denies below (P6), which PAS checks with the family's criteria on file only.
    /// </summary>
    private static bool DeniedByPas(ServiceFamilyDefinition family, PolicyFinding finding) => finding.Kind switch
    {
        FindingKind.AddOnWithoutPrimary or FindingKind.ConcurrentProcedure or FindingKind.UnitsBeyondLimit => true,
        FindingKind.BelowMinimumAge => family.MinimumAge.WhenYounger == YoungerMemberOutcome.Deny && family.CriteriaNotOnFile is null,
        _ => false,
    };

    private static OrderCoverage Result(Policy policy, OrderedService order, CodeGroupDefinition group, ServiceFamilyDefinition family, CoverageStatus coverage, PriorAuthStatus priorAuthorization, bool documentationNeeded, IReadOnlyList<PolicyFinding> findings) =>
        new(order, group, family, coverage, priorAuthorization, documentationNeeded, documentationNeeded ? family.Questionnaire : null, findings) { DecidedUnder = policy };

    private static void AddIfPresent(List<PolicyFinding> findings, PolicyFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
