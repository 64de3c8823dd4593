using System.Data.Common;
using System.Globalization;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// The notification outbox (table notification_outbox) and the per-subscription event counters
/// (subscription_event). See <see cref="INotificationOutbox"/> for what it promises.
/// </summary>
internal sealed class SqlNotificationOutbox(SqlDatabase database, SqlResourceStore resources, TimeProvider clock) : INotificationOutbox
{
    private const string Columns = "id, subscription_id, event_number, focus_type, focus_id, focus_version, fhir_base, queued_at, attempts";

    private SqlDialect Dialect => database.Dialect;

    public Task<IReadOnlyList<StoredResource>> SaveAndQueueAsync(IReadOnlyList<ResourceWrite> writes, IReadOnlyList<NotificationEvent> events, CancellationToken cancellationToken)
    {
        if (events.Count == 0)
        {
            return resources.SaveAsync(writes, cancellationToken);
        }

        return database.WriteAsync<IReadOnlyList<StoredResource>>(
            async (connection, transaction) =>
            {
                var saved = await resources.SaveInTransactionAsync(connection, transaction, writes, cancellationToken);
                var now = clock.GetUtcNow();
                foreach (var queued in events)
                {
                    var focus = saved.FirstOrDefault(r => r.ResourceType == queued.FocusType && r.Id == queued.FocusId)
                        ?? throw new InvalidOperationException($"A notification's focus {queued.FocusType}/{queued.FocusId} is not among the resources written with it.");

                    // The upsert locks the subscription's counter row until COMMIT, so two decisions
                    // racing for one subscription take numbers one after the other.
                    await using var next = Dialect.Command(
                        connection,
                        """
                        INSERT INTO subscription_event (subscription_id, events) VALUES (@subscription, 1)
                        ON CONFLICT (subscription_id) DO UPDATE SET events = subscription_event.events + 1
                        RETURNING events;
                        """,
                        [new("@subscription", queued.SubscriptionId)],
                        transaction);
                    var number = Convert.ToInt64(await next.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);

                    await using var insert = Dialect.Command(
                        connection,
                        """
                        INSERT INTO notification_outbox (id, subscription_id, event_number, focus_type, focus_id, focus_version, fhir_base, queued_at, due_at, attempts)
                        VALUES (@id, @subscription, @number, @type, @focus, @version, @base, @now, @now, 0);
                        """,
                        [
                            new("@id", ResourceStamp.NewId()), new("@subscription", queued.SubscriptionId), new("@number", number),
                            new("@type", focus.ResourceType), new("@focus", focus.Id), new("@version", focus.VersionId),
                            new("@base", queued.FhirBase), new("@now", now),
                        ],
                        transaction);
                    await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                return saved;
            },
            cancellationToken);
    }

    public Task<IReadOnlyList<QueuedNotification>> ClaimDueAsync(int max, TimeSpan lease, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return database.WriteAsync<IReadOnlyList<QueuedNotification>>(
            async (connection, transaction) =>
            {
                await using var claim = Dialect.Command(
                    connection,
                    $"""
                    UPDATE notification_outbox SET claimed_until = @until, attempts = attempts + 1
                    WHERE id IN (
                        SELECT o.id FROM notification_outbox o
                        WHERE o.due_at <= @now AND (o.claimed_until IS NULL OR o.claimed_until <= @now)
                          AND NOT EXISTS (SELECT 1 FROM notification_outbox earlier
                                          WHERE earlier.subscription_id = o.subscription_id AND earlier.event_number < o.event_number)
                        ORDER BY o.due_at
                        LIMIT @max{Dialect.SkipLockedRows})
                    RETURNING {Columns};
                    """,
                    [new("@until", now + lease), new("@now", now), new("@max", max)],
                    transaction);
                var claimed = new List<QueuedNotification>();
                await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    claimed.Add(new QueuedNotification(
                        reader.GetString(0),
                        reader.GetString(1),
                        reader.GetInt64(2),
                        reader.GetString(3),
                        reader.GetString(4),
                        reader.GetInt32(5),
                        reader.GetString(6),
                        Dialect.ReadInstant(reader, 7),
                        reader.GetInt32(8)));
                }

                return claimed;
            },
            cancellationToken);
    }

    public Task CompleteAsync(string id, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM notification_outbox WHERE id = @id;", [new("@id", id)], cancellationToken);

    public Task RetryLaterAsync(string id, DateTimeOffset dueAt, string reason, CancellationToken cancellationToken) =>
        ExecuteAsync(
            "UPDATE notification_outbox SET due_at = @due, claimed_until = NULL, last_error = @reason WHERE id = @id;",
            [new("@id", id), new("@due", dueAt), new("@reason", reason)],
            cancellationToken);

    public Task<int> DiscardAsync(string subscriptionId, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM notification_outbox WHERE subscription_id = @subscription;", [new("@subscription", subscriptionId)], cancellationToken);

    public Task<long> EventCountAsync(string subscriptionId, CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var count = Dialect.Command(connection, "SELECT events FROM subscription_event WHERE subscription_id = @subscription;", [new("@subscription", subscriptionId)]);
                return await count.ExecuteScalarAsync(cancellationToken) is { } events and not DBNull ? Convert.ToInt64(events, CultureInfo.InvariantCulture) : 0L;
            },
            cancellationToken);

    public Task<OutboxBacklog> BacklogAsync(CancellationToken cancellationToken) =>
        database.ReadAsync(
            async connection =>
            {
                await using var backlog = Dialect.Command(connection, "SELECT COUNT(*), MIN(queued_at) FROM notification_outbox;", []);
                await using var reader = await backlog.ExecuteReaderAsync(cancellationToken);
                await reader.ReadAsync(cancellationToken);
                var waiting = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
                return new OutboxBacklog(waiting, reader.IsDBNull(1) ? null : Dialect.ReadInstant(reader, 1));
            },
            cancellationToken);

    private Task<int> ExecuteAsync(string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken) =>
        database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var command = Dialect.Command(connection, sql, parameters, transaction);
                return await command.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
}
