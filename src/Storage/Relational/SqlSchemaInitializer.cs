using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SpinePolicy.Storage.Relational;

/// <summary>
/// Applies the migrations not yet applied, in one transaction. Instances starting together against
/// one database migrate one after another: SQLite's write transaction is exclusive, PostgreSQL
/// takes the dialect's advisory lock first; the later ones find nothing to do.
/// </summary>
internal sealed partial class SqlSchemaInitializer(SqlDatabase database, ILogger<SqlSchemaInitializer> logger) : IStorageInitializer
{
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var dialect = database.Dialect;
        await database.PrepareAsync(cancellationToken);
        var applied = await database.WriteAsync(
            async (connection, transaction) =>
            {
                if (dialect.MigrationLock is { } takeLock)
                {
                    await ExecuteAsync(connection, transaction, takeLock, [], cancellationToken);
                }

                await ExecuteAsync(connection, transaction, dialect.Render("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at {instant} NOT NULL);"), [], cancellationToken);
                int version;
                await using (var current = dialect.Command(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", [], transaction))
                {
                    version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
                }

                var count = 0;
                foreach (var step in SqlMigrations.All.Where(step => step.Version > version))
                {
                    // A step for another provider is recorded too, so both count their steps alike.
                    if (step.AppliesTo(dialect))
                    {
                        await ExecuteAsync(connection, transaction, dialect.Render(step.Sql), [], cancellationToken);
                    }

                    await ExecuteAsync(
                        connection,
                        transaction,
                        "INSERT INTO schema_version (version, applied_at) VALUES (@version, @at);",
                        [new("@version", step.Version), new("@at", DateTimeOffset.UtcNow)],
                        cancellationToken);
                    count++;
                }

                return count;
            },
            cancellationToken);

        LogSchemaReady(logger, dialect.Name, SqlMigrations.All[^1].Version, applied);
    }

    private async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, IReadOnlyList<KeyValuePair<string, object?>> parameters, CancellationToken cancellationToken)
    {
        await using var command = database.Dialect.Command(connection, sql, parameters, transaction);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "{Database} schema at version {Version} ({Applied} migrations applied now)")]
    private static partial void LogSchemaReady(ILogger logger, string database, int version, int applied);
}
