using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine.Tests.Properties;

/// <summary>One generated set of facts: member, the order under decision, the other orders, the answers.</summary>
public sealed record PolicyCase(string ProductLine, int? AgeYears, OrderedService Order, IReadOnlyList<OrderedService> AllOrders, IReadOnlyDictionary<string, CriterionAnswer> Answers)
{
    public NecessityRequest Necessity => new(ProductLine, AgeFacts.Stated(AgeYears), Order, AllOrders, Answers);

    public CoverageQuery Coverage => new(ProductLine, AgeFacts.Stated(AgeYears), AllOrders);

    public PolicyCase WithAge(int? age) => this with { AgeYears = age };

    public PolicyCase WithAnswer(string code, CriterionAnswer answer) =>
        this with { Answers = new Dictionary<string, CriterionAnswer>(Answers, StringComparer.Ordinal) { [code] = answer } };

    public override string ToString() =>
        $"{ProductLine}, age {AgeYears?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unknown"}, {Order.CptCode}×{Order.Units} with [{string.Join(", ", AllOrders.Where(o => o != Order).Select(o => o.CptCode))}], answers {{{string.Join(", ", Answers.Select(a => $"{a.Key}={Show(a.Value)}"))}}}";

    private static string Show(CriterionAnswer answer) => answer switch
    {
        BooleanAnswer b => b.Value ? "true" : "false",
        NumberAnswer n => n.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CodesAnswer c => $"[{string.Join(" ", c.Codes)}]",
        _ => "?",
    };
}
