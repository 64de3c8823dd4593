using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// Rules that look at one order in the light of the others in the same request, and at the member's
/// age. CRD and PAS both call these, so both reach the same finding on the same facts.
/// </summary>
public static class OrderSetRules
{
    /// <summary>P2: an add-on code without one of its primaries in the same request is a coding error.</summary>
    public static PolicyFinding? AddOnWithoutPrimary(Policy policy, OrderedService order, IReadOnlyList<OrderedService> orders)
    {
        if (policy.FindAddOn(order.CptCode) is not { } addOn)
        {
            return null;
        }

        foreach (var other in orders)
        {
            if (addOn.PrimaryCodes.Contains(other.CptCode, StringComparer.Ordinal))
            {
                return null;
            }
        }

        return new PolicyFinding(
            FindingKind.AddOnWithoutPrimary,
            "P2",
            $"Add-on code {order.CptCode} must be ordered with its primary procedure ({string.Join(" or ", addOn.PrimaryCodes)}).");
    }

    /// <summary>P8: BVNA is experimental when performed with another spine procedure.</summary>
    public static PolicyFinding? ConcurrentProcedure(Policy policy, OrderedService order, IReadOnlyList<OrderedService> orders)
    {
        var family = policy.FamilyOf(order.CptCode);
        if (family?.Concurrency is not { } rule)
        {
            return null;
        }

        foreach (var other in orders)
        {
            if (ReferenceEquals(other, order) || other.OrderId == order.OrderId)
            {
                continue;
            }

            var otherFamily = policy.FamilyOf(other.CptCode);
            var concurrent = otherFamily is not null
                ? rule.ExcludedWithFamilies.Contains(otherFamily.Code, StringComparer.Ordinal)
                : policy.IsListedConcurrentProcedure(other.CptCode);
            if (concurrent)
            {
                return new PolicyFinding(
                    FindingKind.ConcurrentProcedure,
                    rule.Clause,
                    $"{family.Display} performed concurrently with another procedure ({other.CptCode}) is experimental and investigational.");
            }
        }

        return null;
    }

    /// <summary>More units than the policy allows for a code (e.g. 64629 beyond L3–S1, P7.15).</summary>
    public static PolicyFinding? UnitsBeyondLimit(Policy policy, OrderedService order)
    {
        if (policy.FindUnitLimit(order.CptCode) is not { } limit || order.Units <= limit.MaxUnits)
        {
            return null;
        }

        return new PolicyFinding(
            FindingKind.UnitsBeyondLimit,
            limit.Clause,
            $"{order.Units} units of {order.CptCode} exceed the {limit.MaxUnits} the policy allows: {limit.Reason}");
    }

    /// <summary>
    /// P1/P6: the member is younger than the family's minimum age on the date of service, or may be
    /// (possible ages that straddle the limit: a partial birth date; <see cref="FindingKind.AgeUnknown"/>,
    /// never an assumed age). Null when every possible age meets the limit or no age is known.
    /// </summary>
    public static PolicyFinding? BelowMinimumAge(ServiceFamilyDefinition family, AgeFacts age, DateRange? dateOfService)
    {
        var minimum = family.MinimumAge.Years;
        if (age.On(dateOfService) is not { } ages || ages.Youngest >= minimum)
        {
            return null;
        }

        if (ages.Oldest >= minimum)
        {
            return new PolicyFinding(
                FindingKind.AgeUnknown,
                family.MinimumAge.Clause,
                $"The member's age on the date of service{On(dateOfService)} may be {ages.Youngest} or {ages.Oldest} ({age}): the birth date does not show whether the member is {minimum}, the minimum for {family.Display}, so a clinician reviews it.");
        }

        var consequence = family.MinimumAge.WhenYounger == YoungerMemberOutcome.Deny
            ? "is not medically necessary"
            : "is outside the policy's criteria and needs individual clinical review";
        return new PolicyFinding(
            FindingKind.BelowMinimumAge,
            family.MinimumAge.Clause,
            $"{family.Display} for a member under {minimum} {consequence} (the member is {ages} on the date of service{On(dateOfService)}).");
    }

    private static string On(DateRange? date) => date is null ? string.Empty : $" {date}";
}
