using System.Data.Common;
using SpinePolicy.Storage.Sqlite;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>
/// Reads and writes reuse what SQLite compiled before on the same kept-open connection. What must
/// not change for a caller: each call sees its own values, a statement nested inside a read of the
/// same SQL still gets its own, and a connection a caller left inside a transaction is not handed on.
/// </summary>
public sealed class SqliteStatementReuseTests : IAsyncLifetime
{
    private const string Echo = "SELECT @value;";

    private static CancellationToken Cancel => CancellationToken.None;

    private readonly SqliteDatabase _database = new(new SqliteStorageOptions
    {
        Path = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db"),
    });

    [Fact]
    public async Task Read_SameSqlTwice_ReusesTheCompiledCommandWithTheSecondCallersValue()
    {
        var (first, firstValue) = await _database.ReadAsync(connection => EchoAsync(connection, "one"), Cancel);
        var (second, secondValue) = await _database.ReadAsync(connection => EchoAsync(connection, "two"), Cancel);

        Assert.Equal("one", firstValue);
        Assert.Equal("two", secondValue);
        Assert.Same(first, second);
        Assert.Empty(second.Parameters);
        Assert.Null(second.Transaction);
    }

    [Fact]
    public async Task Read_SameSqlNestedWhileItsReaderIsOpen_EachGetsItsOwnCommandAndRows()
    {
        var values = await _database.ReadAsync(
            async connection =>
            {
                await using var outer = _database.Dialect.Command(connection, Echo, [new("@value", "outer")]);
                await using var rows = await outer.ExecuteReaderAsync(Cancel);
                Assert.True(await rows.ReadAsync(Cancel));
                var (inner, innerValue) = await EchoAsync(connection, "inner");
                Assert.NotSame(outer, inner);
                return (rows.GetString(0), innerValue);
            },
            Cancel);

        Assert.Equal(("outer", "inner"), values);
    }

    [Fact]
    public async Task Read_LeavingATransactionOpen_TheNextReadGetsAFreshConnection()
    {
        var abandoned = await _database.ReadAsync(
            async connection =>
            {
                await connection.BeginTransactionAsync(Cancel);
                return connection;
            },
            Cancel);
        var next = await _database.ReadAsync(connection => Task.FromResult(connection), Cancel);

        Assert.NotSame(abandoned, next);
        Assert.Equal(System.Data.ConnectionState.Closed, abandoned.State);
    }

    [Fact]
    public async Task Write_SameSqlInSuccessiveBatches_StoresEachCallersValues()
    {
        await _database.WriteAsync(
            async (connection, transaction) =>
            {
                await using var create = _database.Dialect.Command(connection, "CREATE TABLE echo (value TEXT NOT NULL);", [], transaction);
                return await create.ExecuteNonQueryAsync(Cancel);
            },
            Cancel);

        foreach (var value in new[] { "a", "b", "c" })
        {
            await _database.WriteAsync(
                async (connection, transaction) =>
                {
                    await using var insert = _database.Dialect.Command(connection, "INSERT INTO echo (value) VALUES (@value);", [new("@value", value)], transaction);
                    return await insert.ExecuteNonQueryAsync(Cancel);
                },
                Cancel);
        }

        var stored = await _database.ReadAsync(
            async connection =>
            {
                await using var select = _database.Dialect.Command(connection, "SELECT group_concat(value, ',') FROM echo;", []);
                return (string?)await select.ExecuteScalarAsync(Cancel);
            },
            Cancel);
        Assert.Equal("a,b,c", stored);
    }

    public Task InitializeAsync() => _database.PrepareAsync(Cancel);

    public Task DisposeAsync()
    {
        _database.Dispose();
        return Task.CompletedTask;
    }

    private async Task<(DbCommand Command, string Value)> EchoAsync(DbConnection connection, string value)
    {
        await using var command = _database.Dialect.Command(connection, Echo, [new("@value", value)]);
        var result = (string)(await command.ExecuteScalarAsync(Cancel))!;
        return (command, result);
    }
}
