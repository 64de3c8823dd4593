using System.Diagnostics;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.Reliability.Tests.Faults;

/// <summary>
/// Stops and restarts a dedicated private PostgreSQL cluster that a fault test started for itself
/// (never the shared one, which other test classes use in parallel, and never a server the tests
/// did not start). pg_ctl restart reuses the options the cluster was started with
/// (postmaster.opts), so port and socket folder stay the same.
/// </summary>
public static class PostgresControl
{
    public static string? DataPath(PostgresCluster cluster) =>
        cluster.DataDirectory is { } root ? Path.Combine(root, "data") : null;

    public static Task StopAsync(string dataPath) => PgCtlAsync(["stop", "-D", dataPath, "-m", "immediate", "-w", "-t", "60"]);

    /// <summary>The log file is required: without it the server would write to pg_ctl's (our) pipe and keep it open.</summary>
    public static Task StartAsync(string dataPath) =>
        PgCtlAsync(["restart", "-D", dataPath, "-m", "fast", "-w", "-t", "60", "-l", Path.Combine(Path.GetDirectoryName(dataPath)!, "server.log")]);

    private static async Task PgCtlAsync(string[] arguments)
    {
        var pgCtl = Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "pg_ctl")).FirstOrDefault(File.Exists) ?? "pg_ctl";
        var asPostgres = Environment.UserName == "root";
        var start = new ProcessStartInfo(asPostgres ? "runuser" : pgCtl) { RedirectStandardError = true, RedirectStandardOutput = true };
        if (asPostgres)
        {
            foreach (var part in new[] { "-u", "postgres", "--", pgCtl })
            {
                start.ArgumentList.Add(part);
            }
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pg_ctl did not start.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        await process.WaitForExitAsync(timeout.Token);
        await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pg_ctl {string.Join(' ', arguments)} failed: {await stderr}");
        }
    }
}
