namespace SpinePolicy.Server.Hosting.Telemetry;

/// <summary>The OpenTelemetry settings (section "OpenTelemetry"); without an endpoint nothing is collected or sent.</summary>
internal sealed class TelemetryOptions
{
    public const string SectionName = "OpenTelemetry";

    /// <summary>The OTLP collector, e.g. http://otel-collector:4317 (gRPC) or http://otel-collector:4318 (HTTP).</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>grpc (default) or http/protobuf, as OTEL_EXPORTER_OTLP_PROTOCOL spells them.</summary>
    public string Protocol { get; set; } = "grpc";

    /// <summary>service.name of the resource; instances tell themselves apart by service.instance.id.</summary>
    public string ServiceName { get; set; } = "spinepolicy";
}
