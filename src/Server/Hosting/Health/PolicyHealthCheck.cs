using Microsoft.Extensions.Diagnostics.HealthChecks;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.Server.Hosting.Health;

/// <summary>Readiness of the policy: a version of Medical Policy 097 is loaded (without one no hook, package or submit can be answered).</summary>
internal sealed class PolicyHealthCheck(IServiceProvider services) : IHealthCheck
{
    public const string Name = "policy";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(services.GetService<Policy>() is { } policy
            ? HealthCheckResult.Healthy($"Medical Policy {policy.Document.PolicyNumber} version {policy.Version} loaded")
            : HealthCheckResult.Unhealthy("policy not loaded"));
}
