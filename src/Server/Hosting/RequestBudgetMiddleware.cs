using System.Globalization;
using Microsoft.Extensions.Options;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Refuses a request over its caller's budget (<see cref="SharedRequestBudget"/>) with 429,
/// Retry-After and an error body in the API's own shape. Runs after authentication, since the
/// budget belongs to the validated caller. Health probes are never limited: an orchestrator must
/// always be able to ask.
/// </summary>
internal sealed class RequestBudgetMiddleware(RequestDelegate next, SharedRequestBudget budget, IOptionsMonitor<RateLimitingOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        if (!options.CurrentValue.Enabled || IsHealthProbe(context.Request.Path))
        {
            await next(context);
            return;
        }

        if (await budget.TryTakeAsync(CallerIdentity.PartitionKeyOf(context), context.RequestAborted) is not { } retryAfter)
        {
            await next(context);
            return;
        }

        context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        await ApiErrorWriter.WriteAsync(context, StatusCodes.Status429TooManyRequests, $"Too many requests from this client; retry after {retryAfter} s.", OperationOutcome.IssueType.Throttled);
    }

    private static bool IsHealthProbe(PathString path) =>
        path.StartsWithSegments("/healthz", StringComparison.Ordinal) || path.StartsWithSegments("/readyz", StringComparison.Ordinal);
}
