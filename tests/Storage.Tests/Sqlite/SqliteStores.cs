using SpinePolicy.Storage.Sqlite;
using SpinePolicy.Storage.Tests.Contract;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>Opens the stores on a SQLite file directly (no host), migrated like start-up does.</summary>
internal static class SqliteStores
{
    public static Task<StoreUnderTest> OpenAsync(string path, TimeProvider clock, CancellationToken cancellationToken)
    {
        var database = new SqliteDatabase(new SqliteStorageOptions { Path = path });
        return SqlStores.OpenAsync(database, clock, new DisposeDatabase(database), cancellationToken);
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
