namespace SpinePolicy.Storage.Notifications;

/// <summary>
/// Subscription notifications kept in the database: queued in the same transaction as the decision
/// they announce, so a notification exists exactly when its decision does, and delivered by whichever
/// instance claims it (a claim is a lease: an instance that dies holding one lets it go when the
/// lease runs out). Each subscription numbers its events 1, 2, 3, … in the database, so the count is
/// strictly increasing across instances and restarts.
/// </summary>
public interface INotificationOutbox
{
    /// <summary>Saves the writes and queues the events in one transaction; returns the stored resources.</summary>
    Task<IReadOnlyList<StoredResource>> SaveAndQueueAsync(IReadOnlyList<ResourceWrite> writes, IReadOnlyList<NotificationEvent> events, CancellationToken cancellationToken);

    /// <summary>
    /// Claims up to <paramref name="max"/> notifications that are due and not claimed by anyone,
    /// only the oldest waiting one of each subscription (a subscriber receives its events in order).
    /// </summary>
    Task<IReadOnlyList<QueuedNotification>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken cancellationToken);

    /// <summary>Delivered (or no longer wanted): removes it from the outbox.</summary>
    Task CompleteAsync(string id, CancellationToken cancellationToken);

    /// <summary>Delivery failed: releases the claim and makes it due again at <paramref name="dueAt"/>.</summary>
    Task RetryLaterAsync(string id, DateTimeOffset dueAt, string reason, CancellationToken cancellationToken);

    /// <summary>Removes every waiting notification of a subscription (it was stopped or deleted); returns how many.</summary>
    Task<int> DiscardAsync(string subscriptionId, CancellationToken cancellationToken);

    /// <summary>The subscription's events so far (events-since-subscription-start).</summary>
    Task<long> EventCountAsync(string subscriptionId, CancellationToken cancellationToken);

    Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken);
}
