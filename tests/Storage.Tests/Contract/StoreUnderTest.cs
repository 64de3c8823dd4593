using SpinePolicy.Storage;
using SpinePolicy.Storage.Limits;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>The ports of one provider, opened on one database.</summary>
public sealed class StoreUnderTest(
    IResourceStore resources,
    ICoverageAssertionStore assertions,
    IReplayCache replay,
    IDatabaseHealth health,
    INotificationOutbox outbox,
    IRequestBudgetStore budgets,
    IAttemptLog attempts,
    Func<CancellationToken, Task<int>> purgeExpiredTokens,
    IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public IResourceStore Resources { get; } = resources;

    public ICoverageAssertionStore Assertions { get; } = assertions;

    public IReplayCache Replay { get; } = replay;

    public IDatabaseHealth Health { get; } = health;

    public INotificationOutbox Outbox { get; } = outbox;

    public IRequestBudgetStore Budgets { get; } = budgets;

    public IAttemptLog Attempts { get; } = attempts;

    /// <summary>The provider's purge of expired replay-cache rows (not on the port: a maintenance call).</summary>
    public Func<CancellationToken, Task<int>> PurgeExpiredTokens { get; } = purgeExpiredTokens;

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
