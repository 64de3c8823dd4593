using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// P2: the codes of a request say how many levels it treats (64628 the first two vertebral bodies,
/// 64629 each additional one), and the form names the levels. When the add-on is billed and the
/// form names fewer levels than the codes treat, the levels of the others are unknown, so neither
/// P7.15 (L3 to S1) nor P7.16 (no repeat) can be checked for them: a clinician reviews the request
/// rather than certifying bodies nobody named. Not a denial: the provider may have left a level off
/// the form as easily as added a unit. Which codes and how many levels is data (<c>levelCounts</c>).
/// </summary>
internal static class LevelCountRule
{
    public static PolicyFinding? FewerLevelsThanCoded(Policy policy, ServiceFamilyDefinition family, OrderedService order, IReadOnlyList<OrderedService>? orders, IReadOnlyDictionary<string, CriterionAnswer> answers)
    {
        foreach (var count in policy.Document.LevelCounts)
        {
            if (policy.FindCriterion(count.Criterion) is not { } criterion || criterion.Family != family.Code)
            {
                continue;
            }

            // The request's lines on the order's day, this order's included. Only a request that holds
            // the primary as well counts: a form sent with the add-on alone (its primary in another,
            // already held request) may name only the further levels.
            IReadOnlyList<OrderedService> all = orders ?? [];
            var sameDay = (all.Any(o => ReferenceEquals(o, order) || o.OrderId == order.OrderId) ? all : [order, .. all])
                .Where(o => OrderSetRules.SameDay(order.DateOfService, o.DateOfService) != false)
                .ToList();
            var primaries = policy.Document.AddOnCodes.FirstOrDefault(a => a.Code == count.AddOnCode)?.PrimaryCodes ?? [];
            var addOnUnits = sameDay.Where(o => string.Equals(o.CptCode, count.AddOnCode, StringComparison.Ordinal)).Sum(o => o.Units);
            if (addOnUnits <= 0
                || !sameDay.Any(o => primaries.Contains(o.CptCode, StringComparer.Ordinal))
                || !answers.TryGetValue(count.Criterion, out var answer) || answer is not CodesAnswer named)
            {
                // No add-on, no primary in this request, or no levels answered yet ("information missing", asked elsewhere).
                continue;
            }

            // Units beyond the add-on's limit are that line's own denial (unitLimits); counted here they
            // would also hold up the primary, whose levels the form does name.
            if (policy.FindUnitLimit(count.AddOnCode) is { } limit)
            {
                addOnUnits = Math.Min(addOnUnits, limit.MaxUnits);
            }

            var coded = count.PrimaryLevels + addOnUnits;
            var levels = named.Codes.Distinct(StringComparer.Ordinal).ToList();
            if (levels.Count < coded)
            {
                return new PolicyFinding(
                    FindingKind.ClinicalReviewRequired,
                    count.Clause,
                    $"The request's codes treat {coded} levels ({addOnUnits} unit{(addOnUnits == 1 ? string.Empty : "s")} of {count.AddOnCode}: {count.Reason}) but the form names {levels.Count} ({string.Join(", ", levels)}): the other levels are not known, so {family.Display}'s level rules cannot be checked for them and a clinician reviews the request.",
                    count.Criterion);
            }
        }

        return null;
    }
}
