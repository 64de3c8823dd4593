using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpinePolicy.PolicyEngine;
using FrameworkHealthReport = Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport;

namespace SpinePolicy.Server.Hosting.Health;

/// <summary>
/// Liveness (/healthz: the process answers) and readiness (/readyz: the framework's health checks
/// tagged "ready", one per dependency: the policy, the database, the audit queue), so that an
/// orchestrator restarts a hung instance and routes traffic only to instances that can serve it.
/// </summary>
internal static class HealthEndpoints
{
    /// <summary>The tag of the checks /readyz runs.</summary>
    public const string ReadyTag = "ready";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static IServiceCollection AddReadinessChecks(this IServiceCollection services)
    {
        services.AddHealthChecks()
            .AddCheck<PolicyHealthCheck>(PolicyHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<DatabaseHealthCheck>(DatabaseHealthCheck.Name, tags: [ReadyTag])
            .AddCheck<AuditQueueHealthCheck>(AuditQueueHealthCheck.Name, tags: [ReadyTag]);
        return services;
    }

    /// <summary>True for the probes' paths (they are not traced).</summary>
    public static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthReport("alive", null)));
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResponseWriter = WriteReadinessAsync,
        });
        return app;
    }

    /// <summary>
    /// The body keeps the shape /readyz always had (status, problems, policyVersion) and adds each
    /// check's verdict under "checks"; a 503 (any check unhealthy) carries Retry-After.
    /// </summary>
    private static async Task WriteReadinessAsync(HttpContext context, FrameworkHealthReport report)
    {
        var problems = report.Entries
            .Where(e => e.Value.Status == HealthStatus.Unhealthy)
            .Select(e => e.Value.Description ?? $"{e.Key} unhealthy")
            .ToList();
        var checks = report.Entries.ToDictionary(
            e => e.Key,
            e => new HealthCheckVerdict(e.Value.Status.ToString().ToLowerInvariant(), e.Value.Description, Math.Round(e.Value.Duration.TotalMilliseconds, 1)));
        var ready = report.Status != HealthStatus.Unhealthy;
        if (!ready)
        {
            context.Response.Headers.RetryAfter = "5";
        }

        var body = new HealthReport(ready ? "ready" : "not-ready", ready ? null : problems)
        {
            PolicyVersion = ready ? context.RequestServices.GetService<Policy>()?.Version : null,
            Checks = checks,
        };
        context.Response.ContentType = "application/json; charset=utf-8";
        await JsonSerializer.SerializeAsync(context.Response.Body, body, Json, context.RequestAborted);
    }
}

/// <summary>The body of /healthz and /readyz.</summary>
internal sealed record HealthReport(string Status, IReadOnlyList<string>? Problems)
{
    public string? PolicyVersion { get; init; }

    /// <summary>/readyz: each dependency's verdict by name (database, policy, audit-queue).</summary>
    public IReadOnlyDictionary<string, HealthCheckVerdict>? Checks { get; init; }
}

/// <summary>One check's verdict: healthy, degraded or unhealthy, why, and how long it took.</summary>
internal sealed record HealthCheckVerdict(string Status, string? Description, double DurationMs);
