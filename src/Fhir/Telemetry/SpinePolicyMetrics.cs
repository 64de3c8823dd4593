using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SpinePolicy.Fhir.Telemetry;

/// <summary>
/// The server's own instruments, made through the host's IMeterFactory (so each host, and each
/// test server, has its own). docs/operations.md says what each means and when to alert.
/// </summary>
public sealed class SpinePolicyMetrics
{
    private readonly Counter<long> _decisions;
    private readonly Histogram<double> _hookDuration;
    private readonly Counter<long> _deliveries;
    private readonly Histogram<double> _deliveryLag;

    public SpinePolicyMetrics(IMeterFactory meters)
    {
        Meter = meters.Create(SpinePolicyTelemetry.Name);
        _decisions = Meter.CreateCounter<long>("spinepolicy.decisions", "{decision}", "Coverage and prior-authorization decisions, one per order or claim item");
        _hookDuration = Meter.CreateHistogram<double>("spinepolicy.hook.duration", "s", "Time to answer a CDS hook call",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _deliveries = Meter.CreateCounter<long>("spinepolicy.notification.deliveries", "{notification}", "Subscription notification delivery attempts by result");
        _deliveryLag = Meter.CreateHistogram<double>("spinepolicy.notification.lag", "s", "Time from a decision's notification being queued to its delivery",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] });
    }

    private Meter Meter { get; }

    /// <summary>The audit records accepted but not yet written: it grows while the database is away.</summary>
    public void ObserveAuditQueue(Func<int> depth) =>
        Meter.CreateObservableGauge("spinepolicy.audit.queue.depth", depth, "{record}", "Audit records waiting to be written to the database");

    /// <param name="stage">crd, pas or review.</param>
    public void Decided(string stage, string decision, string productLine, string cptCode) =>
        _decisions.Add(1, new TagList
        {
            { TelemetryTags.Stage, stage },
            { TelemetryTags.Decision, decision },
            { TelemetryTags.ProductLine, productLine },
            { TelemetryTags.CptCode, cptCode },
        });

    public void HookAnswered(string hook, int status, TimeSpan elapsed) =>
        _hookDuration.Record(elapsed.TotalSeconds, new TagList { { TelemetryTags.Hook, hook }, { TelemetryTags.HttpStatus, status } });

    /// <param name="lag">From queued to delivered; only for delivered notifications.</param>
    public void NotificationAttempted(string result, TimeSpan? lag)
    {
        _deliveries.Add(1, new KeyValuePair<string, object?>(TelemetryTags.Result, result));
        if (lag is { } delivered)
        {
            _deliveryLag.Record(Math.Max(0, delivered.TotalSeconds));
        }
    }
}
