namespace SpinePolicy.Storage.Sqlite;

/// <summary>Reachable when the file opens and answers a query.</summary>
public sealed class SqliteDatabaseHealth(SqliteDatabase database) : IDatabaseHealth
{
    public async Task<bool> IsReachableAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await database.ReadAsync(
                async connection =>
                {
                    await using var probe = SqliteCommands.Create(connection, "SELECT COUNT(*) FROM schema_version;", []);
                    return await probe.ExecuteScalarAsync(cancellationToken) is not null;
                },
                cancellationToken);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or Microsoft.Data.Sqlite.SqliteException or IOException)
        {
            return false;
        }
    }
}
