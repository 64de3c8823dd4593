using SpinePolicy.Storage.Postgres;
using SpinePolicy.Storage.Tests.Contract;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>Opens the stores on a PostgreSQL database directly (no host), migrated like start-up does.</summary>
internal static class PostgresStores
{
    public static Task<StoreUnderTest> OpenAsync(string connectionString, TimeProvider clock, CancellationToken cancellationToken)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        return SqlStores.OpenAsync(database, clock, database, cancellationToken);
    }

    public static StoreUnderTest OpenWithoutMigration(string connectionString)
    {
        var database = new PostgresDatabase(new PostgresStorageOptions { ConnectionString = connectionString });
        return SqlStores.OpenWithoutMigration(database, TimeProvider.System, database);
    }
}
