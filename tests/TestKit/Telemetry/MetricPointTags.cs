using OpenTelemetry.Metrics;

namespace SpinePolicy.TestKit.Telemetry;

public static class MetricPointTags
{
    /// <summary>The value of one attribute of a metric point, as text (null when absent).</summary>
    public static string? Tag(this MetricPoint point, string key)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key)
            {
                return tag.Value?.ToString();
            }
        }

        return null;
    }
}
