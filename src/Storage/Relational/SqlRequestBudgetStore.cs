using SpinePolicy.Storage.Limits;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// One row per partition and window holding the permits taken so far. The grant is computed and
/// recorded in one upsert, so two instances taking at once serialize on the row and never take
/// more than the limit between them. Spent windows are purged now and then.
/// </summary>
internal sealed class SqlRequestBudgetStore(SqlDatabase database, TimeProvider clock) : IRequestBudgetStore
{
    // Within SET every column reference is the row before the update, so both expressions see the
    // same "used"; last_grant carries the grant back through RETURNING.
    private const string Take = """
        INSERT INTO rate_window (partition_key, window_start, window_end, used, last_grant)
        VALUES (@partition, @start, @end,
                CASE WHEN @wanted < @limit THEN @wanted ELSE @limit END,
                CASE WHEN @wanted < @limit THEN @wanted ELSE @limit END)
        ON CONFLICT (partition_key, window_start) DO UPDATE SET
            last_grant = CASE WHEN rate_window.used >= @limit THEN 0
                              WHEN rate_window.used + @wanted > @limit THEN @limit - rate_window.used
                              ELSE @wanted END,
            used = CASE WHEN rate_window.used >= @limit THEN rate_window.used
                        WHEN rate_window.used + @wanted > @limit THEN @limit
                        ELSE rate_window.used + @wanted END
        RETURNING last_grant;
        """;

    private const string DeleteSpent = "DELETE FROM rate_window WHERE window_end <= @before;";
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(5);

    // A window is kept a while after it ends: an instance whose clock runs a little behind may still
    // be taking from it, and a row purged under it would hand that instance a fresh budget.
    private static readonly TimeSpan PurgeGrace = TimeSpan.FromMinutes(1);
    private long _nextPurge;

    public Task<int> TakeAsync(string partition, DateTimeOffset windowStart, DateTimeOffset windowEnd, int wanted, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(wanted);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        var now = clock.GetUtcNow();
        var purge = ShouldPurge(now);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                if (purge)
                {
                    await using var delete = database.Dialect.Command(connection, DeleteSpent, [new("@before", now - PurgeGrace)], transaction);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                await using var take = database.Dialect.Command(
                    connection,
                    Take,
                    [new("@partition", partition), new("@start", windowStart), new("@end", windowEnd), new("@wanted", wanted), new("@limit", limit)],
                    transaction);
                return Convert.ToInt32(await take.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
            },
            cancellationToken);
    }

    private bool ShouldPurge(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextPurge);
        return now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextPurge, now.Add(PurgeInterval).UtcTicks, due) == due;
    }
}
