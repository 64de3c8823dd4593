using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>
/// Policy impact before a revision goes live (P13), on the configured database, serving nothing:
///   SpinePolicy.Server policy diff &lt;current.json&gt; &lt;candidate.json&gt; [--out FILE]
/// Re-decides the stored requests under both versions and writes, per product line and code, the
/// lines whose action would change, with counts and request ids (JSON).
/// </summary>
public static class PolicyDiffCommand
{
    /// <summary>EX_USAGE (sysexits.h): the command line is wrong.</summary>
    public const int UsageError = 64;

    /// <summary>EX_DATAERR (sysexits.h): a policy document is missing or invalid.</summary>
    public const int DataError = 65;

    private const string Usage = "usage: policy diff <current.json> <candidate.json> [--out FILE]";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static bool IsInvocation(string[] args) => args.Length >= 2 && args[0] == "policy" && args[1] == "diff";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Length is not (4 or 6) || (args.Length == 6 && args[4] != "--out"))
        {
            await error.WriteLineAsync(Usage);
            return UsageError;
        }

        Policy current, candidate;
        try
        {
            // Full paths, so that a missing file is named where it was looked for (dotnet run starts in src/Server).
            current = PolicyDocumentReader.ReadFile(Path.GetFullPath(args[2]));
            candidate = PolicyDocumentReader.ReadFile(Path.GetFullPath(args[3]));
        }
        catch (PolicyDocumentException ex)
        {
            await error.WriteLineAsync(ex.Message);
            return DataError;
        }

        if (current.Url != candidate.Url)
        {
            await error.WriteLineAsync($"The documents are different policies ({current.Url}, {candidate.Url}); compare two versions of one policy.");
            return DataError;
        }

        await using var scope = services.CreateAsyncScope();
        var analyzer = ActivatorUtilities.CreateInstance<PolicyImpactAnalyzer>(scope.ServiceProvider);
        var report = await analyzer.CompareAsync(current, candidate, cancellationToken);
        var text = JsonSerializer.Serialize(report, Json);
        if (args.Length == 6)
        {
            await File.WriteAllTextAsync(args[5], text, cancellationToken);
            await output.WriteLineAsync($"{report.LinesChanged} of {report.LinesCompared} lines in {report.RequestsReDecided} requests would change; written to {args[5]}.");
        }
        else
        {
            await output.WriteLineAsync(text);
        }

        return 0;
    }
}
