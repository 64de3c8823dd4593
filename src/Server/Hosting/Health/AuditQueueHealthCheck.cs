using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpinePolicy.Server.Hosting.Audit;

namespace SpinePolicy.Server.Hosting.Health;

/// <summary>
/// The audit writer keeps up: degraded (still ready) when its queue is more than half full, since a
/// full queue makes requests wait. Not a reason to take the instance out of rotation by itself: the
/// database check says whether the cause is an outage.
/// </summary>
internal sealed class AuditQueueHealthCheck(AuditWriter audit) : IHealthCheck
{
    public const string Name = "audit-queue";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var depth = audit.QueueDepth;
        var description = $"{depth} of {AuditWriter.QueueCapacity} audit records waiting";
        return Task.FromResult(depth * 2 > AuditWriter.QueueCapacity ? HealthCheckResult.Degraded(description) : HealthCheckResult.Healthy(description));
    }
}
