using Xunit;

namespace SpinePolicy.TestKit.Postgres;

/// <summary>
/// A fresh database of the shared test cluster for one test class (use as IClassFixture). Tests
/// that need finer isolation take a fresh schema in it with <see cref="CreateSchemaAsync"/>, which
/// costs far less than a database.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private string? _connectionString;

    /// <summary>The class's database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The fixture has not been initialized.");

    public async Task InitializeAsync() => _connectionString = await PostgresCluster.CreateSharedDatabaseAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>An empty schema in the class's database; the returned connection string makes it the search path.</summary>
    public async Task<string> CreateSchemaAsync(CancellationToken cancellationToken = default)
    {
        // The name is ours (a GUID), never input, so it is safe in DDL, which cannot take parameters.
        var schema = "t_" + Guid.NewGuid().ToString("N");
        await using (var connection = new Npgsql.NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new Npgsql.NpgsqlCommand($"CREATE SCHEMA \"{schema}\";", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        return new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ConnectionString;
    }
}
