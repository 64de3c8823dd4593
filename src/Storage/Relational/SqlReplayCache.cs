namespace SpinePolicy.Storage.Relational;

/// <summary>
/// JWT ids in the database, shared by every instance on it. An id whose recorded expiry has passed
/// counts as new again (the token itself is expired by then and rejected elsewhere); expired rows
/// are purged now and then.
/// </summary>
internal sealed class SqlReplayCache(SqlDatabase database, TimeProvider clock) : IReplayCache
{
    private const string DeleteExpired = "DELETE FROM replay_token WHERE expires <= @now;";
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(5);
    private long _nextPurge;

    public Task<bool> TryRecordAsync(string issuer, string tokenId, DateTimeOffset expires, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var purge = ShouldPurge(now);
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                if (purge)
                {
                    await using var delete = database.Dialect.Command(connection, DeleteExpired, [new("@now", now)], transaction);
                    await delete.ExecuteNonQueryAsync(cancellationToken);
                }

                // ON CONFLICT makes a racing second insert wait for the first and then update nothing.
                await using var record = database.Dialect.Command(
                    connection,
                    """
                    INSERT INTO replay_token (issuer, token_id, expires) VALUES (@issuer, @jti, @expires)
                    ON CONFLICT (issuer, token_id) DO UPDATE SET expires = excluded.expires WHERE replay_token.expires <= @now;
                    """,
                    [new("@issuer", issuer), new("@jti", tokenId), new("@expires", expires), new("@now", now)],
                    transaction);
                return await record.ExecuteNonQueryAsync(cancellationToken) == 1;
            },
            cancellationToken);
    }

    /// <summary>Deletes every expired id; returns how many.</summary>
    public Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        return database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var delete = database.Dialect.Command(connection, DeleteExpired, [new("@now", now)], transaction);
                return await delete.ExecuteNonQueryAsync(cancellationToken);
            },
            cancellationToken);
    }

    private bool ShouldPurge(DateTimeOffset now)
    {
        var due = Interlocked.Read(ref _nextPurge);
        return now.UtcTicks >= due && Interlocked.CompareExchange(ref _nextPurge, now.Add(PurgeInterval).UtcTicks, due) == due;
    }
}
