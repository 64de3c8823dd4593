using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Decision;

/// <summary>What a submit or a review tells the span and the decision counter: actions, codes, versions; no patient data.</summary>
internal static class DecisionTelemetry
{
    /// <summary>One decided item: its action and its CPT code.</summary>
    public sealed record Item(ReviewAction Action, string CptCode);

    /// <param name="stage">pas (a submit) or review (a reviewer's decision).</param>
    /// <param name="policyVersions">The versions of the policy that decided (null: none was in force).</param>
    public static void Record(SpinePolicyMetrics metrics, string stage, string productLine, IReadOnlyList<Item> items, IEnumerable<string?> policyVersions)
    {
        foreach (var item in items)
        {
            metrics.Decided(stage, NameOf(item.Action), productLine, item.CptCode);
        }

        DecisionSpan.Describe(DecisionSpan.Current, items.Select(i => NameOf(i.Action)), policyVersions.Select(v => v ?? TelemetryTags.NoPolicyVersion), items.Count);
    }

    public static string NameOf(ReviewAction action) => action switch
    {
        ReviewAction.Certified => "certified",
        ReviewAction.NotCertified => "not-certified",
        ReviewAction.Pended => "pended",
        ReviewAction.NoActionRequired => "no-action-required",
        ReviewAction.Cancelled => "cancelled",
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };
}
