using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// Rules that look at one order in the light of the others in the same request, and at the member's
/// age. CRD and PAS both call these, so both reach the same finding on the same facts.
/// </summary>
public static class OrderSetRules
{
    /// <summary>Whether a rule here looks at the member's other requests for an order of this code (P2 add-ons, P8 either way round).</summary>
    public static bool ReadsHistory(Policy policy, string cptCode) =>
        policy.FindAddOn(cptCode) is not null
        || policy.FamilyOf(cptCode)?.Concurrency is not null
        || policy.Document.ServiceFamilies.Any(family => family.Concurrency is { } rule && Classify(policy, family, rule, cptCode) == ConcurrencyClass.Procedure);

    /// <summary>
    /// P2: an add-on code ("list separately in addition to code for primary procedure") is billed
    /// with one of its primaries on the same day: in the same request, or in another request of the
    /// member that is pending or certified (<paramref name="history"/>). Without one that day it is a
    /// coding error; a primary on another day does not carry it. A primary whose day cannot be told
    /// apart from the add-on's (a date range) counts.
    /// </summary>
    public static PolicyFinding? AddOnWithoutPrimary(Policy policy, OrderedService order, IReadOnlyList<OrderedService> orders, MemberHistory? history = null)
    {
        if (policy.FindAddOn(order.CptCode) is not { } addOn)
        {
            return null;
        }

        var primaries = orders
            .Concat((history ?? MemberHistory.None).Services.Select(prior => prior.Service))
            .Where(other => addOn.PrimaryCodes.Contains(other.CptCode, StringComparer.Ordinal))
            .ToList();
        if (primaries.Any(primary => SameDay(order.DateOfService, primary.DateOfService) != false))
        {
            return null;
        }

        var expected = string.Join(" or ", addOn.PrimaryCodes);
        return new PolicyFinding(
            FindingKind.AddOnWithoutPrimary,
            "P2",
            primaries.Count == 0
                ? $"Add-on code {order.CptCode} must be ordered with its primary procedure ({expected})."
                : $"Add-on code {order.CptCode}{On(order.DateOfService)} is billed with its primary procedure ({expected}) on the same day; the primary here falls on another day ({string.Join(", ", primaries.Select(p => p.DateOfService?.ToString() ?? "the request's day").Distinct(StringComparer.Ordinal))}).");
    }

    /// <summary>
    /// P8: BVNA is experimental when performed concurrently with another procedure: on the same
    /// date of service, in the same request or in another request of the member that is pending or
    /// certified (<paramref name="history"/>). Two services on different dates are not concurrent.
    /// A denial (<see cref="FindingKind.ConcurrentProcedure"/>) when a procedure surely falls on the
    /// same day; a clinician's review (<see cref="FindingKind.ConcurrencyUncertain"/>) when one may
    /// (a date range) or when a code on that day cannot be classified.
    /// </summary>
    public static PolicyFinding? ConcurrentProcedure(Policy policy, OrderedService order, IReadOnlyList<OrderedService> orders, MemberHistory? history = null)
    {
        var family = policy.FamilyOf(order.CptCode);
        if (family?.Concurrency is not { } rule)
        {
            return null;
        }

        PolicyFinding? uncertain = null;
        var others = orders
            .Where(other => !ReferenceEquals(other, order) && other.OrderId != order.OrderId)
            .Select(other => (Service: other, Where: string.Empty))
            .Concat((history ?? MemberHistory.None).Services.Select(prior => (prior.Service, Where: Where(prior))));
        foreach (var (other, where) in others)
        {
            var sameDay = SameDay(order.DateOfService, other.DateOfService);
            if (sameDay == false)
            {
                continue;
            }

            var kind = Classify(policy, family, rule, other.CptCode);
            if (kind == ConcurrencyClass.NotAProcedure)
            {
                continue;
            }

            var on = other.DateOfService is { } date ? $" on {date}" : string.Empty;
            if (kind == ConcurrencyClass.Procedure && sameDay == true)
            {
                return new PolicyFinding(
                    FindingKind.ConcurrentProcedure,
                    rule.Clause,
                    $"{family.Display} performed concurrently with another procedure ({other.CptCode}{on}{where}) is experimental and investigational.");
            }

            uncertain ??= new PolicyFinding(
                FindingKind.ConcurrencyUncertain,
                rule.Clause,
                kind == ConcurrencyClass.Unclassified
                    ? $"{other.CptCode}{on}{where} falls on the date of service of {family.Display} and is not a code this policy can classify; a clinician decides whether it is a concurrent procedure, which would make {family.Display} experimental."
                    : $"{other.CptCode}{on}{where} may fall on the same day as {family.Display} ({order.DateOfService}); a clinician decides whether they are concurrent, which would make {family.Display} experimental.");
        }

        return uncertain;
    }

    /// <summary>
    /// P8 seen from the other side: this order is a procedure that, on the same day as a BVNA of
    /// the member's other requests (pending or certified), would make that BVNA experimental. The
    /// order itself breaks no rule, so it is not denied; a clinician reviews it
    /// (<see cref="FindingKind.ConcurrencyUncertain"/>), who also sees the BVNA it collides with.
    /// Within one request the BVNA's own line carries the denial (<see cref="ConcurrentProcedure"/>).
    /// </summary>
    public static PolicyFinding? ConcurrentWithHeldProcedure(Policy policy, OrderedService order, MemberHistory? history)
    {
        if (history is null || policy.FamilyOf(order.CptCode)?.Concurrency is not null)
        {
            return null;
        }

        foreach (var prior in history.Services)
        {
            if (policy.FamilyOf(prior.Service.CptCode) is not { Concurrency: { } rule } family
                || SameDay(order.DateOfService, prior.Service.DateOfService) == false
                || Classify(policy, family, rule, order.CptCode) != ConcurrencyClass.Procedure)
            {
                continue;
            }

            var on = prior.Service.DateOfService is { } date ? $" on {date}" : string.Empty;
            return new PolicyFinding(
                FindingKind.ConcurrencyUncertain,
                rule.Clause,
                $"{order.CptCode} may fall on the same day as {family.Display} ({prior.Service.CptCode}{on}{Where(prior)}); performed concurrently, {family.Display} is experimental and investigational, so a clinician decides.");
        }

        return null;
    }

    /// <summary>Where the other procedure is: the member's request by id when the asker may know it, else only whose it is.</summary>
    internal static string Where(PriorService prior)
    {
        if (prior.Status == PriorServiceStatus.NoAuthorizationRequired)
        {
            return prior.RequestId is { } request
                ? $" in the member's request {request}, which needed no prior authorization"
                : " in another provider's request, which needed no prior authorization";
        }

        var state = prior.Status == PriorServiceStatus.Certified ? "certified" : "pending";
        return prior.RequestId is { } id ? $" in the member's {state} request {id}" : $" in a request {state} for another provider";
    }

    /// <summary>True on one and the same day, false on days that cannot meet, null when ranges overlap. An unstated date is the request's day.</summary>
    internal static bool? SameDay(DateRange? a, DateRange? b)
    {
        if (a is null || b is null)
        {
            return true;
        }

        if (!a.Overlaps(b))
        {
            return false;
        }

        return a.IsSingleDay && b.IsSingleDay ? true : null;
    }

    private static ConcurrencyClass Classify(Policy policy, ServiceFamilyDefinition family, ConcurrencyRule rule, string code)
    {
        if (policy.FamilyOf(code) is { } otherFamily)
        {
            // The family's own codes (64629 with 64628) are one procedure; other families are named or not.
            return otherFamily.Code != family.Code && rule.ExcludedWithFamilies.Contains(otherFamily.Code, StringComparer.Ordinal)
                ? ConcurrencyClass.Procedure
                : ConcurrencyClass.NotAProcedure;
        }

        if (rule.ExcludedWithCodes.Any(c => c.Code == code))
        {
            return ConcurrencyClass.Procedure;
        }

        if (rule.NotConcurrentCodes.Any(c => c.Code == code) || rule.NotConcurrentRanges.Any(r => r.Contains(code)))
        {
            return ConcurrencyClass.NotAProcedure;
        }

        return rule.ProcedureRanges.Any(r => r.Contains(code)) ? ConcurrencyClass.Procedure : ConcurrencyClass.Unclassified;
    }

    private enum ConcurrencyClass
    {
        Procedure,
        NotAProcedure,
        Unclassified,
    }

    /// <summary>
    /// More units of a code on one day than the policy allows (e.g. 64629 beyond L3–S1, P7.15),
    /// counted over every line of that code that day in the request: split over lines, the units
    /// still add up. Lines whose days cannot be told apart from this one's (date ranges) count with
    /// it. The member's other requests are not added: an order already authorized comes back
    /// through CRD (order-dispatch) and PAS (a new request for a pended one), and would count twice.
    /// </summary>
    public static PolicyFinding? UnitsBeyondLimit(Policy policy, OrderedService order, IReadOnlyList<OrderedService>? orders = null)
    {
        if (policy.FindUnitLimit(order.CptCode) is not { } limit)
        {
            return null;
        }

        var sameCodeSameDay = (orders ?? [])
            .Where(other => !ReferenceEquals(other, order) && other.OrderId != order.OrderId)
            .Where(other => string.Equals(other.CptCode, order.CptCode, StringComparison.Ordinal) && SameDay(order.DateOfService, other.DateOfService) != false)
            .ToList();
        var units = order.Units + sameCodeSameDay.Sum(other => other.Units);
        if (units <= limit.MaxUnits)
        {
            return null;
        }

        var counted = sameCodeSameDay.Count == 0
            ? $"{units} units of {order.CptCode}"
            : $"{units} units of {order.CptCode} on one day ({order.Units} on this line, {units - order.Units} on the request's other lines that day)";
        return new PolicyFinding(
            FindingKind.UnitsBeyondLimit,
            limit.Clause,
            $"{counted} exceed the {limit.MaxUnits} the policy allows: {limit.Reason}");
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
