using System.Collections.Concurrent;
using System.Diagnostics;
using SpinePolicy.TestKit;

namespace SpinePolicy.Operations.Tests;

/// <summary>
/// The built server running as a separate process, as an operator runs it, until disposed: its
/// standard output is collected line by line.
/// </summary>
internal sealed class RunningServer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly Task _reading;

    private RunningServer(Process process)
    {
        _process = process;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync() is { } line)
            {
                _lines.Enqueue(line);
            }
        });
    }

    public IReadOnlyList<string> Lines => [.. _lines];

    public static RunningServer Start(IReadOnlyDictionary<string, string> environment)
    {
        var start = ServerProcess.StartInfo(environment);
        return new RunningServer(Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start."));
    }

    /// <summary>Waits until a line of output satisfies <paramref name="match"/>.</summary>
    public async Task WaitForLineAsync(Func<string, bool> match, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (!_lines.Any(match))
        {
            if (_process.HasExited || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"The awaited line did not appear. Output so far:\n{string.Join('\n', _lines)}");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        await _reading;
        _process.Dispose();
    }
}
