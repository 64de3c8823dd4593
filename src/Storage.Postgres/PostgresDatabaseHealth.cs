namespace SpinePolicy.Storage.Postgres;

/// <summary>Reachable when a pooled connection answers a query on the migrated schema within a few seconds.</summary>
public sealed class PostgresDatabaseHealth(PostgresDatabase database) : IDatabaseHealth
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            return await database.ReadAsync(
                async connection =>
                {
                    await using var probe = PostgresCommands.Create(connection, "SELECT COUNT(*) FROM schema_version;", []);
                    return await probe.ExecuteScalarAsync(timeout.Token) is not null;
                },
                timeout.Token);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or Npgsql.NpgsqlException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
