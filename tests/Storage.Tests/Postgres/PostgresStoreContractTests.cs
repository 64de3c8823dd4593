using SpinePolicy.Storage.Tests.Contract;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>
/// The store contract on PostgreSQL: one database of the shared test cluster for the class and a
/// fresh schema per test, so every test starts empty.
/// </summary>
public sealed class PostgresStoreContractTests(PostgresDatabaseFixture database) : StoreContractTests, IClassFixture<PostgresDatabaseFixture>
{
    protected override Task<string> CreateDatabaseAsync() => database.CreateSchemaAsync(Cancel);

    protected override Task<StoreUnderTest> OpenAsync(string database, TimeProvider? clock = null) =>
        PostgresStores.OpenAsync(database, clock ?? TimeProvider.System, Cancel);
}
