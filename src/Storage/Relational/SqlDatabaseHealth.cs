using System.Data.Common;

namespace SpinePolicy.Storage.Relational;

/// <summary>Reachable when a connection answers a query on the migrated schema within a few seconds.</summary>
internal sealed class SqlDatabaseHealth(SqlDatabase database) : IDatabaseHealth
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
                    await using var probe = database.Dialect.Command(connection, "SELECT COUNT(*) FROM schema_version;", []);
                    return await probe.ExecuteScalarAsync(timeout.Token) is not null;
                },
                timeout.Token);
        }
        catch (Exception ex) when (ex is StorageUnavailableException or DbException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return false;
        }
    }
}
