using Microsoft.Extensions.Logging.Abstractions;
using SpinePolicy.Storage.Relational;
using SpinePolicy.Storage.Sqlite;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>
/// SQLite plans without statistics (nobody runs ANALYZE on a payer's file), so an index choice
/// that looks equal by its rules can read a whole table. These pin the plans of searches that run
/// on every decision.
/// </summary>
public sealed class SqliteQueryPlanTests
{
    private static CancellationToken Cancel => CancellationToken.None;

    [Fact]
    public async Task MemberHistorySearch_ByPatientAndStatus_ReadsThatMembersRowsOnly()
    {
        // What MemberHistoryReader asks on every BVNA hook, package and submit (P7.16, P8).
        var plan = await PlanAsync(new ResourceSearch("ClaimResponse") { PatientIds = ["member-1"], Statuses = ["active"], Count = 100 });

        // Through the status index instead, it read every active request of every member
        // (20,000 rows a hook on the benchmark's database).
        Assert.Contains("ix_resource_current_patient_status (resource_type=? AND patient_id=? AND status=?)", plan);
    }

    [Fact]
    public async Task PatientSearch_WithoutStatus_StillUsesThePatientIndex()
    {
        var plan = await PlanAsync(new ResourceSearch("ClaimResponse") { PatientIds = ["member-1"] });

        Assert.Contains("patient_id=?", plan);
    }

    private static async Task<string> PlanAsync(ResourceSearch search)
    {
        var path = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db");
        using var database = new SqliteDatabase(new SqliteStorageOptions { Path = path });
        await new SqlSchemaInitializer(database, NullLogger<SqlSchemaInitializer>.Instance).InitializeAsync(Cancel);

        var sql = SearchSql.Build(search);
        await using var connection = await database.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = $"EXPLAIN QUERY PLAN SELECT c.id FROM resource_current c WHERE {sql.PageFilters} ORDER BY {sql.OrderBy} LIMIT 101;";
        foreach (var (name, value) in sql.Parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var steps = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(Cancel);
        while (await reader.ReadAsync(Cancel))
        {
            steps.Add(reader.GetString(3));
        }

        return string.Join(" | ", steps);
    }
}
