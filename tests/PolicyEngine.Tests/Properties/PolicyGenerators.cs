using CsCheck;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine.Tests.Properties;

/// <summary>
/// CsCheck generators of facts the engine decides on, drawn from the published policy document so
/// that they follow it when it changes. Answers are valid for the questionnaire by construction
/// (only enabled criteria, answers of the right type) unless a property says otherwise; exclusions
/// lean towards "absent" and indications towards "met" so that approvals are common enough to test.
/// </summary>
public static class PolicyGenerators
{
    private static readonly Policy Policy = PolicyFixture.Policy;

    public static readonly string[] ProductLines = [.. Policy.ProductLines.Select(p => p.Code)];

    public static readonly string[] GovernedCodes = [.. Policy.Document.CodeGroups.SelectMany(g => g.CptCodes)];

    /// <summary>Other orders that may share the request: governed codes, P8-listed codes, unrelated codes.</summary>
    private static readonly string[] CompanionCodes = [.. GovernedCodes, "64635", "20610", "22612", "99213", "72148"];

    public static Gen<int?> Age { get; } = Gen.Int[-1, 95].Select(a => a < 0 ? (int?)null : a);

    /// <summary>Any member, any governed order, up to two companions, valid answers for its family.</summary>
    public static Gen<PolicyCase> Case(string? family = null, string[]? productLines = null) =>
        Gen.Select(
                Gen.OneOf(productLines ?? ProductLines),
                Age,
                Gen.OneOf(family is null ? GovernedCodes : [.. GovernedCodes.Where(c => Policy.FamilyOf(c)!.Code == family)]),
                Gen.Int[1, 4],
                Gen.OneOf(CompanionCodes).Array[0, 2],
                Gen.Int[0, int.MaxValue])
            .Select((line, age, cpt, units, companions, answerSeed) =>
            {
                var order = new OrderedService("order-0", cpt, units);
                var all = new List<OrderedService> { order };
                all.AddRange(companions.Select((code, i) => new OrderedService($"order-{i + 1}", code)));
                return new PolicyCase(line, age, order, all, ValidAnswers(Policy.FamilyOf(cpt)!.Code, new Random(answerSeed)));
            });

    /// <summary>Answers only to enabled criteria, each of the criterion's type; some left unanswered.</summary>
    public static Dictionary<string, CriterionAnswer> ValidAnswers(string family, Random random)
    {
        var answers = new Dictionary<string, CriterionAnswer>(StringComparer.Ordinal);

        // Document order puts every gate before the criteria it gates.
        foreach (var criterion in Policy.CriteriaFor(family))
        {
            if (!NecessityEngine.IsEnabled(criterion, answers) || random.NextDouble() < 0.08)
            {
                continue;
            }

            answers[criterion.Code] = AnswerFor(criterion, random);
        }

        return answers;
    }

    public static CriterionAnswer AnswerFor(CriterionDefinition criterion, Random random) => criterion.Type switch
    {
        CriterionType.Boolean => new BooleanAnswer(criterion.Role switch
        {
            CriterionRole.Exclusion => random.NextDouble() < 0.15,
            CriterionRole.Indication => random.NextDouble() < 0.9,
            _ => random.Next(2) == 0,
        }),
        CriterionType.Integer => new NumberAnswer(random.Next(0, 101)),
        CriterionType.Decimal => new NumberAnswer(random.Next(0, 600) / 10m),
        CriterionType.Choice => new CodesAnswer([criterion.Options![random.Next(criterion.Options.Count)]]),
        CriterionType.Levels => new CodesAnswer(Levels(random)),
        _ => throw new InvalidOperationException($"No generator for {criterion.Type}."),
    };

    private static string[] Levels(Random random)
    {
        var levels = Policy.Document.VertebralLevels;

        // Mostly the BVNA range (L3–S1), sometimes anything.
        var pool = random.NextDouble() < 0.85 ? levels.Where(l => l is "L3" or "L4" or "L5" or "S1").ToArray() : [.. levels];
        var picked = pool.Where(_ => random.Next(2) == 0).ToArray();
        return picked.Length > 0 ? picked : [pool[random.Next(pool.Length)]];
    }
}
