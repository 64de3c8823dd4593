using Microsoft.AspNetCore.Http.HttpResults;
using SpinePolicy.PolicyEngine;
using SpinePolicy.Storage;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Liveness (/healthz: the process answers) and readiness (/readyz: the policy is loaded and the
/// database answers), so that an orchestrator restarts a hung instance and routes traffic only to
/// instances that can serve it.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>How long readiness waits for the database before calling it unreachable.</summary>
    private static readonly TimeSpan DatabaseProbeTimeout = TimeSpan.FromSeconds(3);

    /// <summary>True for the probes' paths (they are not traced).</summary>
    public static bool IsProbe(PathString path) => path == "/healthz" || path == "/readyz";

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/healthz", () => TypedResults.Ok(new HealthReport("alive", null)));
        app.MapGet("/readyz", ReadyAsync);
        return app;
    }

    private static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> ReadyAsync(HttpContext context, CancellationToken cancellationToken)
    {
        var services = context.RequestServices;
        var problems = new List<string>();
        var policy = services.GetService<Policy>();
        if (policy is null)
        {
            problems.Add("policy not loaded");
        }

        if (services.GetService<IDatabaseHealth>() is not { } database)
        {
            problems.Add("no storage provider registered");
        }
        else if (!await IsReachableAsync(database, cancellationToken))
        {
            problems.Add("database unreachable");
        }

        if (problems.Count == 0)
        {
            return TypedResults.Ok(new HealthReport("ready", null) { PolicyVersion = policy!.Version });
        }

        context.Response.Headers.RetryAfter = "5";
        return TypedResults.Json(new HealthReport("not-ready", problems), statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<bool> IsReachableAsync(IDatabaseHealth database, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(DatabaseProbeTimeout);
        try
        {
            return await database.IsReachableAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure to answer is "not ready"; the probe itself must never fail.
            return false;
        }
    }
}

/// <summary>The body of /healthz and /readyz.</summary>
public sealed record HealthReport(string Status, IReadOnlyList<string>? Problems)
{
    public string? PolicyVersion { get; init; }
}
