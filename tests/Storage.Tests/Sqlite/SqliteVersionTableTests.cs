using Hl7.Fhir.Model;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Relational;
using SpinePolicy.Storage.Sqlite;
using SpinePolicy.Storage.Tests.Contract;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>
/// Migration 8: SQLite keeps every stored version in an ordinary (rowid) table, so rows of a few
/// kilobytes share pages instead of each spilling into overflow pages of its own.
/// </summary>
public sealed class SqliteVersionTableTests
{
    private const int LayoutBefore = 7;
    private static CancellationToken Cancel => CancellationToken.None;

    private static string NewPath() => Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db");

    [Fact]
    public async Task NewDatabase_AuditSizedResources_ShareTheirPages()
    {
        using var database = new SqliteDatabase(new SqliteStorageOptions { Path = NewPath() });
        await using var stores = await SqlStores.OpenAsync(database, TimeProvider.System, NoOwner.Instance, Cancel);

        await SaveAuditSizedAsync(stores.Resources, count: 200);

        // 200 rows of ~1.6 KB: ~80 pages when they share pages. Kept WITHOUT ROWID, each row took
        // an overflow page of its own besides its part in the key's B-tree (over 200 pages).
        Assert.InRange(await PageCountAsync(database), 1, 170);
        Assert.DoesNotContain("WITHOUT ROWID", await TableSqlAsync(database, "resource_version"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task DatabaseOfTheEarlierLayout_KeepsEveryVersionAndItsRulesAfterTheMigration()
    {
        var path = NewPath();
        using var database = new SqliteDatabase(new SqliteStorageOptions { Path = path });
        await MigrateToAsync(database, LayoutBefore);
        Assert.Contains("WITHOUT ROWID", await TableSqlAsync(database, "resource_version"), StringComparison.OrdinalIgnoreCase);
        await using var before = SqlStores.OpenWithoutMigration(database, TimeProvider.System, NoOwner.Instance);
        var saved = await SaveAuditSizedAsync(before.Resources, count: 30);
        var patient = new Patient { Id = "kept-in-two-versions", Gender = AdministrativeGender.Female };
        await before.Resources.SaveAsync([new ResourceWrite(patient)], Cancel);
        await before.Resources.SaveAsync([new ResourceWrite(new Patient { Id = patient.Id, Gender = AdministrativeGender.Male }, IfMatchVersion: 1)], Cancel);

        await new SqlSchemaInitializer(database, NullLogger<SqlSchemaInitializer>.Instance).InitializeAsync(Cancel);

        Assert.DoesNotContain("WITHOUT ROWID", await TableSqlAsync(database, "resource_version"), StringComparison.OrdinalIgnoreCase);
        Assert.Equal((long)SqlMigrations.All.Count, await ScalarAsync(database, "SELECT COUNT(*) FROM schema_version;"));
        foreach (var stored in saved)
        {
            Assert.Equal(stored.Json, (await before.Resources.ReadAsync("AuditEvent", stored.Id, Cancel))?.Json);
        }

        Assert.Contains("\"gender\":\"female\"", (await before.Resources.ReadVersionAsync("Patient", patient.Id, 1, Cancel))?.Json, StringComparison.Ordinal);
        Assert.Equal(2, (await before.Resources.ReadAsync("Patient", patient.Id, Cancel))?.VersionId);

        // The current-row table still refuses a version that does not exist, and a version is still stored once.
        var orphan = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(database, "INSERT INTO resource_current (resource_type, id, version_id, last_updated) VALUES ('Patient', 'nobody', 1, 0);"));
        Assert.Equal(787, orphan.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_FOREIGNKEY
        var twice = await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(database, $"INSERT INTO resource_version (resource_type, id, version_id, last_updated, json) VALUES ('Patient', '{patient.Id}', 2, 0, '{{}}');"));
        Assert.Equal(1555, twice.SqliteExtendedErrorCode); // SQLITE_CONSTRAINT_PRIMARYKEY: a version conflict is still told apart
        Assert.Equal(0, await ScalarAsync(database, "SELECT COUNT(*) FROM sqlite_schema WHERE name = 'resource_version_copy';"));
    }

    /// <summary>Resources the size of a hook's AuditEvent (~1.6 KB of JSON).</summary>
    private static async Task<IReadOnlyList<StoredResource>> SaveAuditSizedAsync(IResourceStore store, int count)
    {
        var writes = Enumerable.Range(0, count).Select(i => new ResourceWrite(new AuditEvent
        {
            Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"),
            Recorded = DateTimeOffset.UtcNow,
            Outcome = AuditEvent.AuditEventOutcome.N0,
            OutcomeDesc = new string('x', 1_400) + i,
            Agent = [new AuditEvent.AgentComponent { Requestor = true, Who = new ResourceReference { Display = "caller" } }],
            Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "SpinePolicy server" } },
        })).ToList();
        return await store.SaveAsync(writes, Cancel);
    }

    private static async Task MigrateToAsync(SqliteDatabase database, int version)
    {
        await database.PrepareAsync(Cancel);
        await ExecuteAsync(database, "CREATE TABLE schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at INTEGER NOT NULL);");
        foreach (var step in SqlMigrations.All.Where(s => s.Version <= version))
        {
            await ExecuteAsync(database, database.Dialect.Render(step.Sql) + $"INSERT INTO schema_version VALUES ({step.Version}, 0);");
        }
    }

    private static async Task<string> TableSqlAsync(SqliteDatabase database, string table)
    {
        await using var connection = await database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = $name;";
        command.Parameters.AddWithValue("$name", table);
        return (string)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private static async Task<long> PageCountAsync(SqliteDatabase database) => await ScalarAsync(database, "PRAGMA page_count;");

    private static async Task<long> ScalarAsync(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync(Cancel))!;
    }

    private static async Task ExecuteAsync(SqliteDatabase database, string sql)
    {
        await using var connection = await database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(Cancel);
    }

    private sealed class NoOwner : IAsyncDisposable
    {
        public static readonly NoOwner Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
