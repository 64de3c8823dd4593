using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine.Coverage;

/// <summary>
/// CRD's question: for each governed order, is it covered for this product line, is prior
/// authorization needed (P3), and which documentation is needed. Pure: same query, same answer.
/// </summary>
public sealed class CoverageEngine(Policy policy)
{
    public Policy Policy { get; } = policy;

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
        if (Policy.FindCodeGroup(order.CptCode) is not { } group)
        {
            return null;
        }

        var family = Policy.Family(group.Family);
        var findings = new List<PolicyFinding>(4);

        if (!Policy.IsProductLine(query.ProductLine))
        {
            findings.Add(new PolicyFinding(FindingKind.UnknownProductLine, "P3", $"The member's product line '{query.ProductLine}' is not one this policy covers; coverage needs review."));
            return new OrderCoverage(order, group, family, CoverageStatus.Conditional, PriorAuthStatus.Conditional, true, family.Questionnaire, findings);
        }

        var requirement = Policy.PriorAuthorizationFor(query.ProductLine, order.CptCode);
        var line = Policy.FindProductLine(query.ProductLine)!;
        if (requirement == PriorAuthRequirement.NotPayable)
        {
            // P3/P10: MassHealth does not consider BVNA payable; no PA question arises.
            findings.Add(new PolicyFinding(FindingKind.NotPayable, line.VariationClause ?? "P3", $"{family.Display} ({order.CptCode}) is not payable for {line.Display} members."));
            return new OrderCoverage(order, group, family, CoverageStatus.NotCovered, PriorAuthStatus.NotApplicable, false, null, findings);
        }

        AddIfPresent(findings, OrderSetRules.AddOnWithoutPrimary(Policy, order, query.Orders));
        AddIfPresent(findings, OrderSetRules.BelowMinimumAge(family, query.Age, order.DateOfService));
        AddIfPresent(findings, OrderSetRules.ConcurrentProcedure(Policy, order, query.Orders));
        AddIfPresent(findings, OrderSetRules.UnitsBeyondLimit(Policy, order));

        if (requirement == PriorAuthRequirement.Required)
        {
            findings.Insert(0, new PolicyFinding(FindingKind.PriorAuthorizationRequired, "P3", $"Prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members."));
            return new OrderCoverage(order, group, family, CoverageStatus.Covered, PriorAuthStatus.AuthNeeded, true, family.Questionnaire, findings);
        }

        findings.Insert(0, new PolicyFinding(FindingKind.NoPriorAuthorizationRequired, "P3", $"No prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members."));
        return new OrderCoverage(order, group, family, CoverageStatus.Covered, PriorAuthStatus.NoAuth, false, null, findings);
    }

    private static void AddIfPresent(List<PolicyFinding> findings, PolicyFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
