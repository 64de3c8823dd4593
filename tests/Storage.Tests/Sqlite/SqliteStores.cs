using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Sqlite;
using SpinePolicy.Storage.Tests.Contract;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>Opens the SQLite provider's stores directly (no host), migrated like start-up does.</summary>
internal static class SqliteStores
{
    public static async Task<StoreUnderTest> OpenAsync(string path, TimeProvider clock, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(new SqliteStorageOptions { Path = path });
        await new SqliteSchemaInitializer(database, NullLogger<SqliteSchemaInitializer>.Instance).InitializeAsync(cancellationToken);
        var replay = new SqliteReplayCache(database, clock);
        return new StoreUnderTest(
            new SqliteResourceStore(database, clock),
            new SqliteCoverageAssertionStore(database),
            replay,
            new SqliteDatabaseHealth(database),
            replay.PurgeExpiredAsync,
            new DisposeDatabase(database));
    }

    private sealed class DisposeDatabase(SqliteDatabase database) : IAsyncDisposable
    {
        public ValueTask DisposeAsync()
        {
            database.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
