using Microsoft.Extensions.Logging;

namespace SpinePolicy.Storage.Postgres;

/// <summary>
/// Applies the migrations not yet applied, holding a transaction-scoped advisory lock so that
/// several instances starting at once migrate one after another (the later ones find nothing to do).
/// </summary>
public sealed partial class PostgresSchemaInitializer(PostgresDatabase database, ILogger<PostgresSchemaInitializer> logger) : IStorageInitializer
{
    /// <summary>An arbitrary constant naming "the SpinePolicy schema" among advisory locks.</summary>
    private const long MigrationLockKey = 0x5350_494E_4550_4F4C;

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var applied = await database.WriteAsync(
            async (connection, transaction) =>
            {
                await using (var take = PostgresCommands.Create(connection, "SELECT pg_advisory_xact_lock(@key);", [new("@key", MigrationLockKey)], transaction))
                {
                    await take.ExecuteNonQueryAsync(cancellationToken);
                }

                await using (var create = PostgresCommands.Create(connection, "CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());", [], transaction))
                {
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }

                int version;
                await using (var current = PostgresCommands.Create(connection, "SELECT COALESCE(MAX(version), 0) FROM schema_version;", [], transaction))
                {
                    version = Convert.ToInt32(await current.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
                }

                var count = 0;
                foreach (var (number, sql) in PostgresMigrations.All.Where(step => step.Version > version))
                {
                    await using var step = PostgresCommands.Create(connection, sql, [], transaction);
                    await step.ExecuteNonQueryAsync(cancellationToken);
                    await using var record = PostgresCommands.Create(connection, "INSERT INTO schema_version (version) VALUES (@version);", [new("@version", number)], transaction);
                    await record.ExecuteNonQueryAsync(cancellationToken);
                    count++;
                }

                return count;
            },
            cancellationToken);

        LogSchemaReady(PostgresMigrations.All[^1].Version, applied);
    }

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "PostgreSQL schema at version {Version} ({Applied} migrations applied now)")]
    private partial void LogSchemaReady(int version, int applied);
}
