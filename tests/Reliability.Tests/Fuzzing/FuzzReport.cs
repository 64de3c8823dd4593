using System.Collections.Concurrent;
using System.Diagnostics;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>What a fuzz run tried and what went wrong, per endpoint family.</summary>
public sealed class FuzzReport(string family)
{
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private int _tried;
    private int _failed;
    private int _silentRejections;

    public string Family { get; } = family;

    public int Tried => _tried;

    public IReadOnlyDictionary<int, int> Statuses => _statuses;

    public IReadOnlyCollection<string> Failures => _failures;

    public int ServerErrors => _statuses.Where(s => s.Key >= 500).Sum(s => s.Value);

    public void Record(int status)
    {
        Interlocked.Increment(ref _tried);
        _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);
    }

    /// <summary>Rejections (4xx) that carried no message: counted apart because the issue asks for the figure.</summary>
    public int SilentRejections => _silentRejections;

    public int Failed => _failed;

    public void Fail(string failure, bool silentRejection = false)
    {
        Interlocked.Increment(ref _failed);
        if (silentRejection)
        {
            Interlocked.Increment(ref _silentRejections);
        }

        if (_failures.Count < 200)
        {
            _failures.Enqueue(failure);
        }
    }

    /// <summary>The figures a fuzz note reports: inputs, status distribution, 5xx, 4xx without a message, wall time.</summary>
    public string Summary() =>
        $"{Family}: {Tried} inputs; statuses {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; " +
        $"5xx {ServerErrors}; 4xx without a message {SilentRejections}; failures {Failed}; wall {_wall.Elapsed.TotalSeconds:F1} s";

    /// <summary>Appends the summary to a file under the temp folder so a local 10,000-input run can be reported.</summary>
    public void Save()
    {
        var directory = Path.Combine(Path.GetTempPath(), "spinepolicy-tests");
        Directory.CreateDirectory(directory);
        File.AppendAllText(Path.Combine(directory, "fuzz-summary.txt"), $"{DateTimeOffset.UtcNow:O} {Summary()}{Environment.NewLine}");
    }
}
