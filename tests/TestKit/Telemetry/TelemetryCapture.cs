using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SpinePolicy.TestKit.Telemetry;

/// <summary>
/// What a test server exports over OpenTelemetry: the in-memory exporter beside the OTLP one the
/// settings switch on, and a WireMock collector that accepts what OTLP/HTTP sends.
/// </summary>
public sealed class TelemetryCapture : IDisposable
{
    private readonly List<Activity> _spans = [];
    private readonly List<MetricSnapshot> _metrics = [];

    public TelemetryCapture()
    {
        Collector.Given(Request.Create().UsingPost()).RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/x-protobuf"));
    }

    /// <summary>The OTLP collector the server exports to.</summary>
    public WireMockServer Collector { get; } = WireMockServer.Start();

    /// <summary>Settings that switch telemetry on, as an operator would.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["OpenTelemetry:OtlpEndpoint"] = Collector.Url,
        ["OpenTelemetry:Protocol"] = "http/protobuf",
    };

    /// <summary>The paths the collector was sent OTLP requests on (/v1/traces, /v1/metrics).</summary>
    public IReadOnlyList<string> CollectorPaths => Collector.LogEntries.Select(e => e.RequestMessage.Path).ToList();

    public void Dispose()
    {
        Collector.Stop();
        Collector.Dispose();
    }

    /// <summary>For ConfigureTestServices: adds the in-memory exporters to the server's providers.</summary>
    public void AddTo(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans));
        services.ConfigureOpenTelemetryMeterProvider(metrics => metrics.AddInMemoryExporter(_metrics));
    }

    /// <summary>Every span ended so far (a copy: one ending meanwhile shows in the next copy).</summary>
    public IReadOnlyList<Activity> Spans => [.. _spans];

    /// <summary>Waits (up to 10 s) for a span of this name; server spans end just after the response is sent.</summary>
    public async Task<Activity> WaitForSpanAsync(string displayName)
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            if (Spans.LastOrDefault(s => s.DisplayName == displayName) is { } span)
            {
                return span;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"No span '{displayName}' among: {string.Join(", ", Spans.Select(s => s.DisplayName).Distinct())}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The latest cumulative value of every metric point, after making the server export now.</summary>
    public IReadOnlyList<MetricSnapshot> CollectMetrics(IServiceProvider services)
    {
        services.GetRequiredService<MeterProvider>().ForceFlush();
        return _metrics.ToList().GroupBy(m => m.Name).Select(g => g.Last()).ToList();
    }

    /// <summary>Every attribute value of every span and metric point, for a search for patient data.</summary>
    public IEnumerable<string> AllAttributeValues(IServiceProvider services)
    {
        foreach (var span in Spans)
        {
            yield return span.DisplayName;
            foreach (var tag in span.TagObjects)
            {
                yield return $"{tag.Key}={tag.Value}";
            }
        }

        foreach (var metric in CollectMetrics(services))
        {
            foreach (var point in metric.MetricPoints)
            {
                foreach (var tag in point.Tags)
                {
                    yield return $"{metric.Name} {tag.Key}={tag.Value}";
                }
            }
        }
    }
}
