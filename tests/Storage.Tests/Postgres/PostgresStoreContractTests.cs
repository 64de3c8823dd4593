using SpinePolicy.Storage.Tests.Contract;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.Storage.Tests.Postgres;

/// <summary>The store contract on PostgreSQL: a fresh database of the shared test cluster per test.</summary>
public sealed class PostgresStoreContractTests : StoreContractTests
{
    protected override Task<string> CreateDatabaseAsync() => PostgresCluster.CreateSharedDatabaseAsync(Cancel);

    protected override Task<StoreUnderTest> OpenAsync(string database, TimeProvider? clock = null) =>
        PostgresStores.OpenAsync(database, clock ?? TimeProvider.System, Cancel);
}
