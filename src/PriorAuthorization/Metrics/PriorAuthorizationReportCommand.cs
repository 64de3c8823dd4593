using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// The yearly filing from the command line, on the configured database, without serving anything:
///   SpinePolicy.Server report prior-authorization [--year YYYY | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--format json|html] [--out FILE]
/// The same builder as the public page computes it, so the filed figures are the posted ones.
/// </summary>
public static class PriorAuthorizationReportCommand
{
    /// <summary>EX_USAGE (sysexits.h): the command line is wrong.</summary>
    public const int UsageError = 64;

    private const string Usage = "usage: report prior-authorization [--year YYYY | --from YYYY-MM-DD [--to YYYY-MM-DD]] [--format json|html] [--out FILE]";

    public static bool IsInvocation(string[] args) => args.Length >= 2 && args[0] == "report" && args[1] == "prior-authorization";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || args[i] is not ("--year" or "--from" or "--to" or "--format" or "--out") || options.ContainsKey(args[i]))
            {
                await error.WriteLineAsync($"Unexpected argument '{args[i]}'. {Usage}");
                return UsageError;
            }

            options[args[i]] = args[i + 1];
        }

        var format = options.GetValueOrDefault("--format", "json");
        if (format is not ("json" or "html"))
        {
            await error.WriteLineAsync($"--format must be json or html, not '{format}'. {Usage}");
            return UsageError;
        }

        var today = DateOnly.FromDateTime(services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime);
        var (period, problem) = ReportingPeriodQuery.Read(options.GetValueOrDefault("--year"), options.GetValueOrDefault("--from"), options.GetValueOrDefault("--to"), today);
        if (period is null)
        {
            await error.WriteLineAsync($"{problem} {Usage}");
            return UsageError;
        }

        await using var scope = services.CreateAsyncScope();
        var report = await scope.ServiceProvider.GetRequiredService<PriorAuthorizationReportBuilder>().BuildAsync(period, cancellationToken);
        var text = format == "html"
            ? PriorAuthorizationReportPage.Render(report)
            : JsonSerializer.Serialize(report, PriorAuthorizationMetricsEndpoints.Json);
        if (options.TryGetValue("--out", out var path))
        {
            await File.WriteAllTextAsync(path, text, cancellationToken);
            await output.WriteLineAsync($"Prior authorization metrics for {period.Describe()} written to {path}.");
        }
        else
        {
            await output.WriteLineAsync(text);
        }

        return 0;
    }
}
