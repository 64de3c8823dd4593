using System.Diagnostics;

namespace SpinePolicy.Fhir.Telemetry;

/// <summary>Writes a decision's attributes on a span: distinct values joined, so one query finds "pended" among several items.</summary>
public static class DecisionSpan
{
    /// <summary>The current span when it is one of ours (not the framework's request span).</summary>
    public static Activity? Current => Activity.Current is { } current && current.Source == SpinePolicyTelemetry.Source ? current : null;

    public static void Describe(Activity? span, IEnumerable<string> decisions, IEnumerable<string> policyVersions, int items)
    {
        if (span is null || !span.IsAllDataRequested)
        {
            return;
        }

        span.SetTag(TelemetryTags.Decision, Join(decisions));
        var versions = Join(policyVersions);
        span.SetTag(TelemetryTags.PolicyVersion, versions.Length > 0 ? versions : TelemetryTags.NoPolicyVersion);
        span.SetTag(TelemetryTags.Items, items);
    }

    public static string Join(IEnumerable<string> values) => string.Join(',', values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
}
