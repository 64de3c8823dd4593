using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SpinePolicy.TestKit.Logging;

/// <summary>
/// Keeps every log line a test server writes, so that tests can assert what is (and is not) in the
/// logs. Each line is also appended to a per-process file (<see cref="SuiteLogFile"/>), which lets a
/// scan look at a whole test run's logs at once.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLogEntry> _entries = new();

    public IReadOnlyCollection<CapturedLogEntry> Entries => _entries;

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, this);

    public void Dispose()
    {
    }

    private void Add(CapturedLogEntry entry)
    {
        _entries.Enqueue(entry);
        SuiteLogFile.Append(entry);
    }

    private sealed class CapturingLogger(string category, CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            owner.Add(new CapturedLogEntry(category, logLevel, eventId, formatter(state, exception), exception?.ToString()));
        }
    }
}
