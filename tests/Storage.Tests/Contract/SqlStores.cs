using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>Opens the store core on a provider's database directly (no host).</summary>
internal static class SqlStores
{
    /// <summary>Migrated like start-up does.</summary>
    public static async Task<StoreUnderTest> OpenAsync(SqlDatabase database, TimeProvider clock, IAsyncDisposable owner, CancellationToken cancellationToken)
    {
        await new SqlSchemaInitializer(database, NullLogger<SqlSchemaInitializer>.Instance).InitializeAsync(cancellationToken);
        return OpenWithoutMigration(database, clock, owner);
    }

    public static StoreUnderTest OpenWithoutMigration(SqlDatabase database, TimeProvider clock, IAsyncDisposable owner)
    {
        var replay = new SqlReplayCache(database, clock);
        var resources = new SqlResourceStore(database, clock);
        return new StoreUnderTest(
            resources,
            new SqlCoverageAssertionStore(database),
            replay,
            new SqlDatabaseHealth(database),
            new SqlNotificationOutbox(database, resources, clock),
            new SqlRequestBudgetStore(database, clock),
            new SqlAttemptLog(database, clock),
            replay.PurgeExpiredAsync,
            owner);
    }
}
