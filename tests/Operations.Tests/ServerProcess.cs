using System.Diagnostics;
using SpinePolicy.TestKit;

namespace SpinePolicy.Operations.Tests;

/// <summary>
/// The built server run as an operator runs it (<c>dotnet SpinePolicy.Server.dll</c>), with
/// settings as environment variables: what it prints and how it exits are what is tested.
/// </summary>
internal static class ServerProcess
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(90);

    public sealed record Exit(int Code, string StandardOutput, string StandardError);

    /// <summary>Runs the server until it exits by itself (a start-up failure); fails the test if it keeps running.</summary>
    public static async Task<Exit> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        var start = StartInfo(environment);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Patience);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"The server did not exit within {Patience.TotalSeconds} s; it was expected to refuse to start. Output: {await stdout}");
        }

        return new Exit(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>How to start the built server with these environment variables, output redirected.</summary>
    public static ProcessStartInfo StartInfo(IReadOnlyDictionary<string, string> environment)
    {
        var serverDll = ServerDll();
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(serverDll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(serverDll);
        start.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
        start.Environment["DOTNET_NOLOGO"] = "1";
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>The server as built for this configuration (Debug or Release, like the tests).</summary>
    private static string ServerDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Debug";
        var path = Path.Combine(RepositoryPaths.Root, "src", "Server", "bin", configuration, "net10.0", "SpinePolicy.Server.dll");
        return File.Exists(path) ? path : throw new InvalidOperationException($"Build the server first: {path} is missing.");
    }
}
