using Hl7.Fhir.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Relational;
using SpinePolicy.Storage.Sqlite;
using SpinePolicy.Storage.Tests.Contract;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>What only SQLite needs proving: durability settings, locks held by other processes, two openers of one file.</summary>
public sealed class SqliteDurabilityTests
{
    private static CancellationToken Cancel => CancellationToken.None;

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db");

    [Fact]
    public async Task Connection_AfterStartup_UsesWalFullSynchronousAndMemoryTempStore()
    {
        using var database = new SqliteDatabase(new SqliteStorageOptions { Path = NewPath() });
        await new SqlSchemaInitializer(database, NullLogger<SqlSchemaInitializer>.Instance).InitializeAsync(Cancel);

        await using var connection = await database.OpenAsync(Cancel);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode; PRAGMA synchronous; PRAGMA temp_store;";
        await using var reader = await pragmas.ExecuteReaderAsync(Cancel);
        Assert.True(await reader.ReadAsync(Cancel));
        var journal = reader.GetString(0);
        Assert.True(await reader.NextResultAsync(Cancel) && await reader.ReadAsync(Cancel));
        var synchronous = reader.GetInt64(0);
        Assert.True(await reader.NextResultAsync(Cancel) && await reader.ReadAsync(Cancel));

        Assert.Equal("wal", journal);
        Assert.Equal(2L, synchronous); // 2 = FULL
        Assert.Equal(2L, reader.GetInt64(0)); // 2 = MEMORY: statement journals never touch the temp folder
    }

    [Fact]
    public async Task Save_FileLockedByAnotherProcessPastBusyTimeout_ThrowsStorageUnavailableAndWritesNothing()
    {
        var path = NewPath();
        await using var stores = await SqliteStores.OpenAsync(path, TimeProvider.System, Cancel);
        using var impatient = new SqliteDatabase(new SqliteStorageOptions { Path = path, BusyTimeout = TimeSpan.FromMilliseconds(200) });
        var store = new SqlResourceStore(impatient, TimeProvider.System);
        var patient = new Patient { Id = "locked-out" };

        // Another writer (as another process would) holds the write lock.
        await using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            await holder.OpenAsync(Cancel);
            await using var transaction = holder.BeginTransaction(deferred: false);

            await Assert.ThrowsAsync<StorageUnavailableException>(() => store.SaveAsync([new ResourceWrite(patient)], Cancel));
        }

        Assert.Null(await stores.Resources.ReadAsync("Patient", "locked-out", Cancel));
        Assert.Equal(1, (await store.SaveAsync([new ResourceWrite(patient)], Cancel))[0].VersionId);
    }

    [Fact]
    public async Task Save_TwoOpenersOfOneFileRacingForAKey_ExactlyOneWins()
    {
        var path = NewPath();
        await using var first = await SqliteStores.OpenAsync(path, TimeProvider.System, Cancel);
        await using var second = await SqliteStores.OpenAsync(path, TimeProvider.System, Cancel);
        var key = Guid.NewGuid().ToString("N");

        var attempts = Enumerable.Range(0, 8).Select(i => Task.Run(async () =>
        {
            var store = i % 2 == 0 ? first.Resources : second.Resources;
            try
            {
                await store.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel);
                return true;
            }
            catch (DuplicateKeyException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(attempts);

        Assert.Equal(1, outcomes.Count(won => won));
    }
}
