using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SpinePolicy.Server.Hosting;
using SpinePolicy.Storage.Limits;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

/// <summary>
/// The per-caller budget asks the database for a lease once while its lease is empty, however many
/// of the caller's requests arrive meanwhile, and still admits no more than the limit.
/// </summary>
public sealed class SharedRequestBudgetTests
{
    [Fact]
    public async Task EmptyLease_ManyRequestsAtOnce_AskTheDatabaseOnce()
    {
        var store = new CountingBudgetStore(limit: 1000) { Hold = new TaskCompletionSource() };
        var budget = Budget(store, permitLimit: 1000);

        var requests = Enumerable.Range(0, 40).Select(_ => budget.TryTakeAsync("caller", CancellationToken.None).AsTask()).ToList();
        await store.FirstAsk.Task.WaitAsync(TimeSpan.FromSeconds(10));
        store.Hold.SetResult();
        var answers = await Task.WhenAll(requests);

        Assert.All(answers, Assert.Null);
        // A lease is 50 permits (a twentieth of 1,000): one ask serves all 40.
        Assert.Equal(1, store.Asks);
    }

    [Fact]
    public async Task ManyRequestsAtOnce_AdmitExactlyTheLimit()
    {
        var store = new CountingBudgetStore(limit: 100) { Delay = TimeSpan.FromMilliseconds(5) };
        var budget = Budget(store, permitLimit: 100);

        var answers = await Task.WhenAll(Enumerable.Range(0, 160).Select(_ => Task.Run(() => budget.TryTakeAsync("caller", CancellationToken.None).AsTask())));

        Assert.Equal(100, answers.Count(a => a is null));
        Assert.All(answers.Where(a => a is not null), a => Assert.True(a > 0, "a refusal says when to retry"));
        // Leases of 5: at least 20 asks, and not one per request.
        Assert.InRange(store.Asks, 20, 40);
    }

    [Fact]
    public async Task DatabaseFailing_EveryWaitingRequestCountsLocally()
    {
        var store = new CountingBudgetStore(limit: 1000) { Hold = new TaskCompletionSource(), Fail = true };
        var budget = Budget(store, permitLimit: 30);

        var requests = Enumerable.Range(0, 40).Select(_ => budget.TryTakeAsync("caller", CancellationToken.None).AsTask()).ToList();
        await store.FirstAsk.Task.WaitAsync(TimeSpan.FromSeconds(10));
        store.Hold.SetResult();
        var answers = await Task.WhenAll(requests);

        Assert.Equal(30, answers.Count(a => a is null));
    }

    /// <summary>
    /// A request that reads an older window than the caller's lease has moved to (the clock stepped
    /// back, or it read the clock just before a window turned) is counted in the lease's window: it
    /// neither asks for the old window's permits nor waits in a loop.
    /// </summary>
    [Fact]
    public async Task ClockSteppedBackAcrossAWindow_CountsInTheLeasesWindowWithoutAskingForTheOldOne()
    {
        var store = new CountingBudgetStore(limit: 1000);
        var clock = new SettableClock(new DateTimeOffset(2026, 12, 4, 10, 1, 0, TimeSpan.Zero));
        var budget = Budget(store, permitLimit: 1000, clock, windowSeconds: 60);
        Assert.Null(await budget.TryTakeAsync("caller", CancellationToken.None));

        clock.Now = clock.Now.AddSeconds(-30);
        // On pool threads, so that a request looping without end fails the test instead of hanging it.
        var answers = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => budget.TryTakeAsync("caller", CancellationToken.None).AsTask())))
            .WaitAsync(TimeSpan.FromSeconds(10));

        Assert.All(answers, Assert.Null);
        Assert.Equal(1, store.Asks);
        Assert.Equal([new DateTimeOffset(2026, 12, 4, 10, 1, 0, TimeSpan.Zero)], store.WindowsAsked);
    }

    private static SharedRequestBudget Budget(IRequestBudgetStore store, int permitLimit, TimeProvider clock, int windowSeconds) => new(
        store,
        new FixedOptions(new RateLimitingOptions { PermitLimit = permitLimit, WindowSeconds = windowSeconds }),
        clock,
        NullLogger<SharedRequestBudget>.Instance);

    private sealed class SettableClock(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static SharedRequestBudget Budget(IRequestBudgetStore store, int permitLimit) => new(
        store,
        new FixedOptions(new RateLimitingOptions { PermitLimit = permitLimit, WindowSeconds = 3600 }),
        TimeProvider.System,
        NullLogger<SharedRequestBudget>.Instance);

    private sealed class FixedOptions(RateLimitingOptions value) : IOptionsMonitor<RateLimitingOptions>
    {
        public RateLimitingOptions CurrentValue => value;

        public RateLimitingOptions Get(string? name) => value;

        public IDisposable? OnChange(Action<RateLimitingOptions, string?> listener) => null;
    }

    /// <summary>An in-memory shared count that records how often it is asked.</summary>
    private sealed class CountingBudgetStore(int limit) : IRequestBudgetStore
    {
        private int _used;
        private int _asks;

        public TaskCompletionSource? Hold { get; init; }

        public TimeSpan Delay { get; init; }

        public bool Fail { get; init; }

        public TaskCompletionSource FirstAsk { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int Asks => Volatile.Read(ref _asks);

        public System.Collections.Concurrent.ConcurrentQueue<DateTimeOffset> WindowsAsked { get; } = new();

        public async Task<int> TakeAsync(string partition, DateTimeOffset windowStart, DateTimeOffset windowEnd, int wanted, int permitLimit, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asks);
            WindowsAsked.Enqueue(windowStart);
            FirstAsk.TrySetResult();
            if (Hold is not null)
            {
                await Hold.Task;
            }

            await Task.Delay(Delay, cancellationToken);
            if (Fail)
            {
                throw new TimeoutException("the shared count did not answer");
            }

            lock (this)
            {
                var granted = Math.Min(wanted, limit - _used);
                _used += granted;
                return granted;
            }
        }
    }
}
