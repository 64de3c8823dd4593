using Microsoft.Extensions.Options;
using Npgsql;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.Server.Hosting.Health;

namespace SpinePolicy.Server.Hosting.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics, off unless <c>OpenTelemetry:OtlpEndpoint</c> is set: ASP.NET
/// Core, HttpClient and Npgsql instrumentation plus our own "SpinePolicy" source and meter,
/// exported over OTLP. Our instruments always exist (they cost nothing unheard); only the SDK and
/// the exporter are switched on by the setting.
/// </summary>
internal static class TelemetryRegistration
{
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<SpinePolicyMetrics>();
        var options = builder.Configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        if (string.IsNullOrWhiteSpace(options.OtlpEndpoint))
        {
            return builder;
        }

        var endpoint = Endpoint(options);
        var protocol = Protocol(options);
        // An endpoint set in code is used as given: over HTTP each signal needs its own path
        // (what the exporter adds itself only when the endpoint comes from OTEL_EXPORTER_OTLP_ENDPOINT).
        Action<OtlpExporterOptions> Export(string signalPath) => otlp =>
        {
            otlp.Protocol = protocol;
            otlp.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf ? new Uri(endpoint, endpoint.AbsolutePath.TrimEnd('/') + signalPath) : endpoint;
        };

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(options.ServiceName, serviceInstanceId: Environment.MachineName + ":" + Environment.ProcessId))
            .WithTracing(tracing => tracing
                .AddSource(SpinePolicyTelemetry.Name)
                .AddAspNetCoreInstrumentation(aspNetCore =>
                {
                    // Probes every few seconds would drown the requests that matter.
                    aspNetCore.Filter = context => !HealthEndpoints.IsProbe(context.Request.Path);
                    aspNetCore.EnrichWithHttpResponse = SpanRedaction.ReplacePathWithRoute;
                })
                .AddHttpClientInstrumentation(http => http.EnrichWithHttpRequestMessage = SpanRedaction.KeepOriginOnly)
                .AddNpgsql()
                .AddOtlpExporter(Export("/v1/traces")))
            .WithMetrics(metrics => metrics
                .AddMeter(SpinePolicyTelemetry.Name)
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation()
                .AddOtlpExporter(Export("/v1/metrics")));
        return builder;
    }

    private static Uri Endpoint(TelemetryOptions options) =>
        Uri.TryCreate(options.OtlpEndpoint, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw Invalid($"OpenTelemetry:OtlpEndpoint '{options.OtlpEndpoint}' is not an absolute http(s) URL, e.g. http://otel-collector:4317.");

    private static OtlpExportProtocol Protocol(TelemetryOptions options) => options.Protocol.Trim().ToLowerInvariant() switch
    {
        "grpc" => OtlpExportProtocol.Grpc,
        "http/protobuf" => OtlpExportProtocol.HttpProtobuf,
        _ => throw Invalid($"OpenTelemetry:Protocol '{options.Protocol}' is neither 'grpc' nor 'http/protobuf'."),
    };

    private static OptionsValidationException Invalid(string failure) =>
        new(TelemetryOptions.SectionName, typeof(TelemetryOptions), [failure]);
}
