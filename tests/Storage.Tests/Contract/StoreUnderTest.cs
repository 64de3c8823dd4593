using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>The ports of one provider, opened on one database.</summary>
public sealed class StoreUnderTest(
    IResourceStore resources,
    ICoverageAssertionStore assertions,
    IReplayCache replay,
    IDatabaseHealth health,
    INotificationOutbox outbox,
    Func<CancellationToken, Task<int>> purgeExpiredTokens,
    IAsyncDisposable? owner = null) : IAsyncDisposable
{
    public IResourceStore Resources { get; } = resources;

    public ICoverageAssertionStore Assertions { get; } = assertions;

    public IReplayCache Replay { get; } = replay;

    public IDatabaseHealth Health { get; } = health;

    public INotificationOutbox Outbox { get; } = outbox;

    /// <summary>The provider's purge of expired replay-cache rows (not on the port: a maintenance call).</summary>
    public Func<CancellationToken, Task<int>> PurgeExpiredTokens { get; } = purgeExpiredTokens;

    public ValueTask DisposeAsync() => owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
