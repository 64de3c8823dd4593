using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using SpinePolicy.Storage.Limits;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Per-caller request budgets that hold across instances. Each partition (see
/// <see cref="CallerIdentity.PartitionKeyOf"/>) may make <see cref="RateLimitingOptions.PermitLimit"/>
/// requests per fixed window in all instances together: an instance leases a few permits at a time
/// from the database (<see cref="IRequestBudgetStore"/>) and spends them locally, so the database
/// is asked about once per lease rather than per request. The lease is small (a twentieth of the
/// limit, at most 50; one when the limit is small), so permits leased by one instance and left
/// unused make the others refuse a little early, never admit more than the limit. One request at
/// a time per partition asks for a lease; the others wait for its answer.
/// While the database cannot be reached each instance counts alone (up to N × the limit for N
/// instances) rather than refusing every caller; the database outage answers 503 elsewhere anyway.
/// </summary>
internal sealed partial class SharedRequestBudget(
    IRequestBudgetStore store,
    IOptionsMonitor<RateLimitingOptions> options,
    TimeProvider clock,
    ILogger<SharedRequestBudget> logger)
{
    private const int MaxLease = 50;
    private readonly ConcurrentDictionary<string, PartitionLease> _leases = new(StringComparer.Ordinal);
    private long _sweptWindowTicks;

    /// <summary>Null when the request may go ahead; otherwise the seconds until the caller's window ends.</summary>
    /// <remarks>
    /// When the lease runs out, one request asks the database and every other request of the
    /// partition waits for that answer instead of asking too: measured on PostgreSQL, 64 connections
    /// of one caller each asking made a convoy on the window's row, about 370 ms per ask.
    /// </remarks>
    public async ValueTask<int?> TryTakeAsync(string partition, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        while (true)
        {
            var now = clock.GetUtcNow();
            var window = RateLimitWindow.At(now, TimeSpan.FromSeconds(settings.WindowSeconds));
            ForgetOlderWindows(window);
            var lease = _leases.GetOrAdd(partition, _ => new PartitionLease());
            Task<int> refill;
            lock (lease)
            {
                lease.Enter(window);

                // A request whose clock reads an older window than the lease has moved to (it read
                // the clock just before another request moved on, or the clock stepped back) counts
                // in the lease's window: a refill for the old window would credit the new one with
                // the old window's grant, or mark it spent.
                window = lease.Window;
                if (lease.TryUseLeased())
                {
                    return null;
                }

                if (lease.IsSpent)
                {
                    return window.SecondsLeft(now);
                }

                // The database call is shared, so no one request's cancellation may cancel it.
                refill = lease.Refill(() => store.TakeAsync(partition, window.Start, window.End, LeaseSize(settings.PermitLimit), settings.PermitLimit, CancellationToken.None));
            }

            int granted;
            try
            {
                granted = await refill.WaitAsync(cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                // Unavailable, or any other failure of the shared count: a limiter problem must never
                // become an outage of the API it guards.
                LogCountingLocally(logger, ex.GetType().Name);
                lock (lease)
                {
                    lease.Enter(window);
                    lease.Abandon(refill);
                    return lease.TryUseLocally(settings.PermitLimit) ? null : window.SecondsLeft(now);
                }
            }

            lock (lease)
            {
                lease.Enter(window);
                if (!lease.IsCurrent(window))
                {
                    // The window turned while the database answered: ask again in the new one
                    // (the turn moved the lease forward, so this cannot repeat without time passing).
                    continue;
                }

                lease.Complete(refill, granted);
                if (lease.TryUseLeased())
                {
                    return null;
                }

                if (lease.IsSpent)
                {
                    return window.SecondsLeft(now);
                }
            }

            // The grant went to the requests that waited with this one: ask again.
        }
    }

    /// <summary>Permits leased per database round trip.</summary>
    public static int LeaseSize(int permitLimit) => Math.Clamp(permitLimit / 20, 1, MaxLease);

    /// <summary>Once per window, drops the leases of partitions that made no request in it, so memory follows active callers.</summary>
    private void ForgetOlderWindows(RateLimitWindow window)
    {
        var swept = Interlocked.Read(ref _sweptWindowTicks);
        if (window.Start.UtcTicks <= swept || Interlocked.CompareExchange(ref _sweptWindowTicks, window.Start.UtcTicks, swept) != swept)
        {
            return;
        }

        foreach (var (partition, lease) in _leases)
        {
            if (lease.WindowStart < window.Start)
            {
                _leases.TryRemove(new KeyValuePair<string, PartitionLease>(partition, lease));
            }
        }
    }

    [LoggerMessage(EventId = 9301, Level = LogLevel.Warning, Message = "Request budgets counted per instance: the shared count is unavailable ({ExceptionType})")]
    private static partial void LogCountingLocally(ILogger logger, string exceptionType);
}
