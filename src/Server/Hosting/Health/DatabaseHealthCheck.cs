using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpinePolicy.Storage;

namespace SpinePolicy.Server.Hosting.Health;

/// <summary>Readiness of the database: it answers within <see cref="ProbeTimeout"/>. Every decision is written there, so nothing is served without it.</summary>
internal sealed class DatabaseHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "database";

    /// <summary>How long readiness waits for the database before calling it unreachable.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (services.GetService<IDatabaseHealth>() is not { } database)
        {
            return HealthCheckResult.Unhealthy("no storage provider registered");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            return await database.IsReachableAsync(timeout.Token)
                ? HealthCheckResult.Healthy("database answers")
                : HealthCheckResult.Unhealthy("database unreachable");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Any failure to answer (refused, timed out) is "not ready"; the probe itself must never fail.
            return HealthCheckResult.Unhealthy("database unreachable");
        }
    }
}
