using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// The public CMS-0057-F report: /metrics/prior-authorization (HTML) and
/// /metrics/prior-authorization.json, without login, for ?year=YYYY or ?from=…&amp;to=….
/// </summary>
public static class PriorAuthorizationMetricsEndpoints
{
    public const string PagePath = "/metrics/prior-authorization";
    public const string JsonPath = "/metrics/prior-authorization.json";

    /// <summary>How the report is written as JSON (also by the yearly-filing command).</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static IEndpointRouteBuilder MapPriorAuthorizationMetrics(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(JsonPath, JsonAsync).AllowAnonymous().WithName("PriorAuthorizationMetricsJson");
        endpoints.MapGet(PagePath, PageAsync).AllowAnonymous().WithName("PriorAuthorizationMetricsPage");
        return endpoints;
    }

    private static async Task<IResult> JsonAsync(HttpRequest request, PriorAuthorizationReportBuilder builder, RequestHistoryReader reader, PriorAuthorizationReportCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (period, problem) = PeriodOf(request, clock);
        if (period is null)
        {
            return TypedResults.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "The report period is not valid.");
        }

        var report = await cache.GetAsync(period, reader.LatestChangeAsync, token => builder.BuildAsync(period, token), cancellationToken);
        return TypedResults.Json(report, Json);
    }

    private static async Task<IResult> PageAsync(HttpContext context, PriorAuthorizationReportBuilder builder, RequestHistoryReader reader, PriorAuthorizationReportCache cache, TimeProvider clock, CancellationToken cancellationToken)
    {
        var (period, problem) = PeriodOf(context.Request, clock);
        if (period is null)
        {
            return TypedResults.Text(problem!, "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
        }

        var report = await cache.GetAsync(period, reader.LatestChangeAsync, token => builder.BuildAsync(period, token), cancellationToken);
        context.Response.Headers.ContentSecurityPolicy = PriorAuthorizationReportPage.ContentSecurityPolicy;
        return TypedResults.Text(PriorAuthorizationReportPage.Render(report), "text/html; charset=utf-8");
    }

    private static (ReportingPeriod? Period, string? Problem) PeriodOf(HttpRequest request, TimeProvider clock)
    {
        var query = request.Query;
        foreach (var name in new[] { "year", "from", "to" })
        {
            if (query[name].Count > 1)
            {
                return (null, $"Give {name} once.");
            }
        }

        return ReportingPeriodQuery.Read(query["year"].FirstOrDefault(), query["from"].FirstOrDefault(), query["to"].FirstOrDefault(), DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime));
    }
}
