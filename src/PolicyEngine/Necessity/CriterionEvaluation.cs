using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>How one criterion's rule reads against an answer.</summary>
internal static class CriterionEvaluation
{
    /// <summary>
    /// True when the rule holds (exclusion present, indication or requirement met); null when the
    /// answer has the wrong shape for the rule.
    /// </summary>
    public static bool? RuleHolds(CriterionDefinition criterion, CriterionAnswer answer, IReadOnlyDictionary<string, CriterionAnswer> answers)
    {
        var rule = criterion.Rule!;
        return rule.Operator switch
        {
            RuleOperator.EqualsValue => answer is BooleanAnswer b ? b.Value == rule.Value : null,
            RuleOperator.GreaterThan => answer is NumberAnswer n ? n.Value > rule.Threshold : null,
            RuleOperator.AtLeast => answer is NumberAnswer n ? n.Value >= rule.Threshold : null,
            RuleOperator.AnyOutside => answer is CodesAnswer c ? AnyOutside(c.Codes, rule.Values!) : null,
            RuleOperator.Intersects => answer is CodesAnswer c ? Intersects(c.Codes, answers, rule.Criterion!) : null,
            _ => null,
        };
    }

    /// <summary>
    /// The criterion as a reason, naming what in the answer makes it hold: for a range of levels
    /// (P7.15) each level outside it and on which side ("T12 is above L3"), for an overlap (P7.16)
    /// the levels both share.
    /// </summary>
    public static string Describe(CriterionDefinition criterion, CriterionAnswer answer, IReadOnlyDictionary<string, CriterionAnswer> answers, IReadOnlyList<string> levels)
    {
        if (criterion.Rule is { Operator: RuleOperator.AnyOutside, Values: { Count: > 0 } allowed } && answer is CodesAnswer outside)
        {
            var first = allowed.Select(l => IndexOf(levels, l)).Min();
            var last = allowed.Select(l => IndexOf(levels, l)).Max();
            var offending = outside.Codes
                .Where(code => !allowed.Contains(code, StringComparer.Ordinal))
                .Select(code => IndexOf(levels, code) < first ? $"{code} is above {levels[first]}" : $"{code} is below {levels[last]}");
            return $"{criterion.Display} ({string.Join(", ", outside.Codes)}): {string.Join("; ", offending)}";
        }

        if (criterion.Rule is { Operator: RuleOperator.Intersects, Criterion: { } other } && answer is CodesAnswer treated
            && answers.TryGetValue(other, out var planned) && planned is CodesAnswer plannedLevels)
        {
            var shared = treated.Codes.Where(code => plannedLevels.Codes.Contains(code, StringComparer.Ordinal)).ToList();
            return $"{criterion.Display}: {string.Join(", ", shared)} {(shared.Count == 1 ? "is" : "are")} to be treated again";
        }

        if (criterion.Rule is { Threshold: not null } rule && answer is NumberAnswer number)
        {
            // A measured value against a limit: the provider reads which value decided and where the line is.
            return $"{criterion.Display} {number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}, {Threshold(rule)}";
        }

        return criterion.Display;
    }

    /// <summary>A threshold rule in words: "at least 50", "greater than 40".</summary>
    public static string Threshold(CriterionRule rule) => rule.Operator switch
    {
        RuleOperator.AtLeast => $"at least {rule.Threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        RuleOperator.GreaterThan => $"greater than {rule.Threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture)}",
        _ => rule.Operator.ToString(),
    };

    /// <summary>Whether the answer's shape fits the criterion's type.</summary>
    public static bool FitsType(CriterionDefinition criterion, CriterionAnswer answer, IReadOnlyList<string> levels) => criterion.Type switch
    {
        CriterionType.Boolean => answer is BooleanAnswer,
        CriterionType.Integer => answer is NumberAnswer n && n.Value == decimal.Truncate(n.Value),
        CriterionType.Decimal => answer is NumberAnswer,
        CriterionType.Choice => answer is CodesAnswer c && c.Codes.Count == 1 && criterion.Options!.Contains(c.Codes[0], StringComparer.Ordinal),
        CriterionType.Levels => answer is CodesAnswer c && c.Codes.Count > 0 && c.Codes.All(code => levels.Contains(code, StringComparer.Ordinal)),
        _ => false,
    };

    private static int IndexOf(IReadOnlyList<string> levels, string level)
    {
        for (var i = 0; i < levels.Count; i++)
        {
            if (levels[i] == level)
            {
                return i;
            }
        }

        return -1;
    }

    private static bool AnyOutside(IReadOnlyList<string> codes, IReadOnlyList<string> allowed)
    {
        foreach (var code in codes)
        {
            if (!allowed.Contains(code, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static bool? Intersects(IReadOnlyList<string> codes, IReadOnlyDictionary<string, CriterionAnswer> answers, string otherCriterion)
    {
        if (!answers.TryGetValue(otherCriterion, out var other) || other is not CodesAnswer otherCodes)
        {
            // P7.16 compares with the levels to be treated; without them it cannot be decided yet.
            return false;
        }

        foreach (var code in codes)
        {
            if (otherCodes.Codes.Contains(code, StringComparer.Ordinal))
            {
                return true;
            }
        }

        return false;
    }
}
