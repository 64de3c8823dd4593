using System.Globalization;
using System.Threading.RateLimiting;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// ASP.NET Core rate limiting partitioned by caller (<see cref="CallerIdentity"/>). A refused
/// request gets 429 with Retry-After and an error body in the API's own shape. Health probes are
/// never limited: an orchestrator must always be able to ask.
/// </summary>
public static class ClientRateLimiting
{
    public static IServiceCollection AddClientRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<Microsoft.AspNetCore.RateLimiting.RateLimiterOptions>()
            .Configure<IOptions<RateLimitingOptions>>((limiter, configured) =>
            {
                var settings = configured.Value;
                limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                limiter.OnRejected = OnRejectedAsync;
                limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                {
                    if (!settings.Enabled || IsHealthProbe(context.Request.Path))
                    {
                        return RateLimitPartition.GetNoLimiter("unlimited");
                    }

                    return RateLimitPartition.GetFixedWindowLimiter(CallerIdentity.PartitionKeyOf(context), _ => new FixedWindowRateLimiterOptions
                    {
                        PermitLimit = settings.PermitLimit,
                        Window = TimeSpan.FromSeconds(settings.WindowSeconds),
                        QueueLimit = settings.QueueLimit,
                        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                        AutoReplenishment = true,
                    });
                });
            });
        return services;
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/readyz", StringComparison.Ordinal);

    private static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
            : 1;
        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await ApiErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, $"Too many requests from this client; retry after {retryAfter} s.", OperationOutcome.IssueType.Throttled);
    }
}
