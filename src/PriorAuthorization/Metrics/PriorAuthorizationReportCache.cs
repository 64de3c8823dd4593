using System.Collections.Concurrent;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// Keeps the reports the public endpoints computed, each with the stamp of the newest stored
/// decision it saw. A report is computed again when a decision was written since, when it is older
/// than <see cref="MaxAge"/> (instances' clocks may disagree, so a write can look older than the
/// newest one), or for a period not asked before. So the public, unauthenticated page stays current
/// yet cannot be used to make the server read every stored request over and over. Computations run
/// one at a time: a crowd asking at once waits for one computation and shares it.
/// </summary>
internal sealed class PriorAuthorizationReportCache(TimeProvider clock) : IDisposable
{
    /// <summary>Periods kept at once; asking for more distinct ranges starts the cache afresh.</summary>
    public const int MaxPeriods = 32;

    /// <summary>The oldest a served report may be, whatever the stamp says.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<ReportingPeriod, (string Stamp, DateTimeOffset ComputedAt, PriorAuthorizationReport Report)> _reports = new();
    private readonly SemaphoreSlim _computing = new(1, 1);

    public async Task<PriorAuthorizationReport> GetAsync(ReportingPeriod period, Func<CancellationToken, Task<string>> stamp, Func<CancellationToken, Task<PriorAuthorizationReport>> build, CancellationToken cancellationToken)
    {
        var current = await stamp(cancellationToken);
        if (_reports.TryGetValue(period, out var cached) && IsCurrent(cached.Stamp, cached.ComputedAt, current))
        {
            return cached.Report;
        }

        await _computing.WaitAsync(cancellationToken);
        try
        {
            current = await stamp(cancellationToken);
            if (_reports.TryGetValue(period, out cached) && IsCurrent(cached.Stamp, cached.ComputedAt, current))
            {
                return cached.Report;
            }

            var computedAt = clock.GetUtcNow();
            var report = await build(cancellationToken);
            if (_reports.Count >= MaxPeriods)
            {
                _reports.Clear();
            }

            _reports[period] = (current, computedAt, report);
            return report;
        }
        finally
        {
            _computing.Release();
        }
    }

    public void Dispose() => _computing.Dispose();

    private bool IsCurrent(string stamp, DateTimeOffset computedAt, string current)
    {
        var age = clock.GetUtcNow() - computedAt;
        return stamp == current && age >= TimeSpan.Zero && age < MaxAge;
    }
}
