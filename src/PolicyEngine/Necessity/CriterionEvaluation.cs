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
