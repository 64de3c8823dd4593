using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Micro;

/// <summary>
/// Answers that meet every indication and avoid every exclusion of a family, derived from the
/// policy's own rules so that the benchmark follows the policy document when it changes. Only
/// criteria actually asked (askedWhen) are answered, as a clinician's form would be.
/// </summary>
internal static class ApprovableAnswers
{
    public static Dictionary<string, CriterionAnswer> For(Policy policy, string familyCode)
    {
        var answers = new Dictionary<string, CriterionAnswer>(StringComparer.Ordinal);
        var criteria = policy.CriteriaFor(familyCode);

        // Context criteria first (they gate others), then the rest in document order.
        foreach (var criterion in criteria.OrderBy(c => c.Role == CriterionRole.Context ? 0 : 1))
        {
            if (!NecessityEngine.IsEnabled(criterion, answers) || Favourable(criterion) is not { } answer)
            {
                continue;
            }

            answers[criterion.Code] = answer;
        }

        return answers;
    }

    private static CriterionAnswer? Favourable(CriterionDefinition criterion)
    {
        var rule = criterion.Rule;
        var wantsRuleTrue = criterion.Role is CriterionRole.Indication or CriterionRole.Requirement;
        return criterion.Type switch
        {
            CriterionType.Boolean when rule?.Value is { } v => new BooleanAnswer(wantsRuleTrue ? v : !v),
            CriterionType.Boolean => new BooleanAnswer(false),
            CriterionType.Decimal or CriterionType.Integer when rule?.Threshold is { } t => new NumberAnswer(
                (rule.Operator, wantsRuleTrue) switch
                {
                    (RuleOperator.GreaterThan, true) => t + 1,
                    (RuleOperator.AtLeast, true) => t,
                    _ => Math.Max(0, t - 1),
                }),
            CriterionType.Levels when rule is { Operator: RuleOperator.AnyOutside, Values: [var first, ..] } => new CodesAnswer([first]),
            CriterionType.Choice when criterion.Options is [var option, ..] => new CodesAnswer([option]),
            _ => null,
        };
    }
}
