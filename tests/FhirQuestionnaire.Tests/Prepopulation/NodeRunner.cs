using System.Diagnostics;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Prepopulation;

/// <summary>
/// Runs tests/cql with Node: installs the locked npm packages (npm ci) when node_modules is
/// missing, then executes evaluate.js. Fails with a clear message when node or npm is missing.
/// </summary>
internal static class NodeRunner
{
    private static readonly SemaphoreSlim InstallLock = new(1, 1);

    public static string ProjectFolder => Path.Combine(RepositoryPaths.Root, "tests", "cql");

    public static async Task<string> RunScriptAsync(IReadOnlyList<string> arguments)
    {
        await EnsureInstalledAsync();
        var (exit, output, error) = await RunAsync("node", ["evaluate.js", .. arguments], TimeSpan.FromMinutes(2));
        Assert.True(exit == 0, $"node evaluate.js failed ({exit}): {error}");
        return output;
    }

    private static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (Directory.Exists(Path.Combine(ProjectFolder, "node_modules", "cql-exec-fhir")))
            {
                return;
            }

            // The lock file pins every package; npm ci installs exactly those.
            var (exit, _, error) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], TimeSpan.FromMinutes(5));
            Assert.True(exit == 0, $"npm ci in tests/cql failed ({exit}): {error}");
        }
        finally
        {
            InstallLock.Release();
        }
    }

    private static async Task<(int Exit, string Output, string Error)> RunAsync(string program, IReadOnlyList<string> arguments, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(program)
        {
            WorkingDirectory = ProjectFolder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new Xunit.Sdk.XunitException($"'{program}' is not installed or not on PATH ({ex.Message}). The CQL/ELM test needs Node.js 18+ with npm: install them (e.g. apt-get install nodejs npm) and run again.");
        }

        using (process)
        {
            using var cancel = new CancellationTokenSource(timeout);
            var output = process.StandardOutput.ReadToEndAsync(cancel.Token);
            var error = process.StandardError.ReadToEndAsync(cancel.Token);
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', arguments)} did not finish within {timeout}.");
            }

            return (process.ExitCode, await output, await error);
        }
    }
}
