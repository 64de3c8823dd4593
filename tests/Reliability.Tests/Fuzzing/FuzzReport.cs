using System.Collections.Concurrent;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>What a fuzz run tried and what went wrong, per endpoint family.</summary>
public sealed class FuzzReport(string family)
{
    private readonly ConcurrentDictionary<int, int> _statuses = new();
    private readonly ConcurrentQueue<string> _failures = new();
    private int _tried;

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

    public void Fail(string failure)
    {
        if (_failures.Count < 200)
        {
            _failures.Enqueue(failure);
        }
    }

    public string Summary() =>
        $"{Family}: {Tried} inputs; statuses {string.Join(", ", _statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}; failures {_failures.Count}";

    /// <summary>Appends the summary to a file under the temp folder so a local 10,000-input run can be reported.</summary>
    public void Save()
    {
        var directory = Path.Combine(Path.GetTempPath(), "spinepolicy-tests");
        Directory.CreateDirectory(directory);
        File.AppendAllText(Path.Combine(directory, "fuzz-summary.txt"), $"{DateTimeOffset.UtcNow:O} {Summary()}{Environment.NewLine}");
    }
}
