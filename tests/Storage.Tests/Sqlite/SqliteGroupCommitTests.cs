using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Relational;
using SpinePolicy.Storage.Sqlite;
using SpinePolicy.Storage.Tests.Contract;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>
/// Writes that arrive together share one transaction and one disk flush. What a caller must still
/// be able to rely on: its write is on disk when its call returns, another caller's failure never
/// takes its write down, its own failure leaves nothing behind, and a write it gave up on while
/// queued never runs.
/// </summary>
public sealed class SqliteGroupCommitTests
{
    private static CancellationToken Cancel => CancellationToken.None;

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db");

    [Fact]
    public async Task Save_ManyConcurrentCallersOneDuplicateKey_OnlyTheLoserFailsAndEveryOtherWriteIsStored()
    {
        var path = NewPath();
        await using var stores = await SqliteStores.OpenAsync(path, TimeProvider.System, Cancel);
        var key = Guid.NewGuid().ToString("N");
        var patients = Enumerable.Range(0, 64).Select(_ => Resources.NewPatientId()).ToList();

        var saves = patients.Select((patient, i) => Task.Run(async () =>
        {
            try
            {
                // Two callers race for one unique key; the other 62 have no conflict.
                await stores.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patient), UniqueKey: i < 2 ? key : null)], Cancel);
                return true;
            }
            catch (DuplicateKeyException)
            {
                return false;
            }
        }));
        var outcomes = await Task.WhenAll(saves);

        Assert.Equal(63, outcomes.Count(stored => stored));
        Assert.False(outcomes[0] && outcomes[1]);

        // A second opener of the file (as after a restart) sees every acknowledged write.
        await using var reopened = await SqliteStores.OpenAsync(path, TimeProvider.System, Cancel);
        for (var i = 2; i < patients.Count; i++)
        {
            var page = await reopened.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patients[i]] }, Cancel);
            Assert.Single(page.Resources);
        }
    }

    [Fact]
    public async Task Save_RefusedForADuplicateKey_TheHolderIsReadableTheMomentTheRefusalArrives()
    {
        var path = NewPath();
        using var database = await OpenAsync(path);
        var store = new SqlResourceStore(database, TimeProvider.System);
        var key = Guid.NewGuid().ToString("N");
        Task<IReadOnlyList<StoredResource>> winner;
        Task<IReadOnlyList<StoredResource>> loser;
        Task<int> slowNeighbour;
        Task<int> blocked;
        await using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // Hold the file so that the next three writes queue up and share one transaction:
            // two callers racing for one key (as identical PAS submissions do), then a slow write.
            await holder.OpenAsync(Cancel);
            await using var lockHeld = holder.BeginTransaction(deferred: false);
            blocked = database.WriteAsync((c, t) => Task.FromResult(0), Cancel);
            await Task.Delay(100, Cancel);
            winner = store.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel);
            loser = store.SaveAsync([new ResourceWrite(Resources.Claim(Resources.NewPatientId()), UniqueKey: key)], Cancel);
            slowNeighbour = database.WriteAsync(
                async (c, t) =>
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), Cancel);
                    return 0;
                },
                Cancel);
        }

        // The loser answers with the winner's record; it must find it the moment it is refused,
        // not only once the slow neighbour has finished and the batch committed.
        await Assert.ThrowsAsync<DuplicateKeyException>(() => loser);
        var holderOfKey = await store.FindByUniqueKeyAsync("Claim", key, Cancel);

        Assert.NotNull(holderOfKey);
        Assert.Equal((await winner)[0].Id, holderOfKey.Id);
        await slowNeighbour;
        await blocked;
    }

    [Fact]
    public async Task Write_ThatFailsHalfway_LeavesNoneOfItsRowsWhileItsNeighboursCommit()
    {
        using var database = await OpenAsync(NewPath());
        await database.WriteAsync((connection, transaction) => ExecuteAsync(connection, transaction, "CREATE TABLE probe (name TEXT PRIMARY KEY);"), Cancel);

        var before = Task.Run(() => database.WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO probe VALUES ('before');"), Cancel));
        var failing = Task.Run(() => database.WriteAsync<int>(
            async (c, t) =>
            {
                await ExecuteAsync(c, t, "INSERT INTO probe VALUES ('half');");
                throw new InvalidOperationException("the caller's own validation failed after its first insert");
            },
            Cancel));
        var after = Task.Run(() => database.WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO probe VALUES ('after');"), Cancel));

        await before;
        await after;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => failing);
        Assert.Contains("validation failed", error.Message, StringComparison.Ordinal);
        Assert.Equal(["after", "before"], await NamesAsync(database));
    }

    [Fact]
    public async Task Write_CancelledWhileQueuedBehindALockedFile_NeverRuns()
    {
        var path = NewPath();
        using var database = await OpenAsync(path);
        await database.WriteAsync((connection, transaction) => ExecuteAsync(connection, transaction, "CREATE TABLE probe (name TEXT PRIMARY KEY);"), Cancel);

        Task<int> first;
        Task<int> abandoned;
        await using (var holder = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            // Another process holds the write lock: the writer waits in BEGIN IMMEDIATE with 'first'.
            await holder.OpenAsync(Cancel);
            await using var lockHeld = holder.BeginTransaction(deferred: false);
            first = database.WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO probe VALUES ('first');"), Cancel);
            await Task.Delay(200, Cancel);

            using var giveUp = new CancellationTokenSource(TimeSpan.FromMilliseconds(100));
            abandoned = database.WriteAsync((c, t) => ExecuteAsync(c, t, "INSERT INTO probe VALUES ('abandoned');"), giveUp.Token);
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => abandoned);
        }

        await first;
        Assert.Equal(["first"], await NamesAsync(database));
    }

    [Fact]
    public async Task Write_AfterDispose_IsRefusedAndQueuedWritesWereCommittedFirst()
    {
        var path = NewPath();
        var database = await OpenAsync(path);
        await database.WriteAsync((connection, transaction) => ExecuteAsync(connection, transaction, "CREATE TABLE probe (name TEXT PRIMARY KEY);"), Cancel);
        var queued = Enumerable.Range(0, 20)
            .Select(i => database.WriteAsync((c, t) => ExecuteAsync(c, t, $"INSERT INTO probe VALUES ('w{i}');"), Cancel))
            .ToList();

        database.Dispose();

        await Task.WhenAll(queued);
        await Assert.ThrowsAsync<ObjectDisposedException>(() => database.WriteAsync((c, t) => ExecuteAsync(c, t, "SELECT 1;"), Cancel));
        using var reopened = new SqliteDatabase(new SqliteStorageOptions { Path = path });
        Assert.Equal(20, (await NamesAsync(reopened)).Count);
    }

    private static async Task<SqliteDatabase> OpenAsync(string path)
    {
        var database = new SqliteDatabase(new SqliteStorageOptions { Path = path, BusyTimeout = TimeSpan.FromSeconds(3) });
        await new SqlSchemaInitializer(database, NullLogger<SqlSchemaInitializer>.Instance).InitializeAsync(Cancel);
        return database;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(Cancel);
    }

    private static Task<List<string>> NamesAsync(SqliteDatabase database) => database.ReadAsync(
        async connection =>
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT name FROM probe ORDER BY name;";
            await using var reader = await command.ExecuteReaderAsync(Cancel);
            var names = new List<string>();
            while (await reader.ReadAsync(Cancel))
            {
                names.Add(reader.GetString(0));
            }

            return names;
        },
        Cancel);
}
