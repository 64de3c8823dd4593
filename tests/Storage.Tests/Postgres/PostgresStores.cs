using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Postgres;
using SpinePolicy.Storage.Tests.Contract;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>Opens the PostgreSQL provider's stores directly (no host), migrated like start-up does.</summary>
internal static class PostgresStores
{
    public static async Task<StoreUnderTest> OpenAsync(string connectionString, TimeProvider clock, CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        await new PostgresSchemaInitializer(database, NullLogger<PostgresSchemaInitializer>.Instance).InitializeAsync(cancellationToken);
        var replay = new PostgresReplayCache(database, clock);
        return new StoreUnderTest(
            new PostgresResourceStore(database, clock),
            new PostgresCoverageAssertionStore(database),
            replay,
            new PostgresDatabaseHealth(database),
            replay.PurgeExpiredAsync,
            database);
    }
}
