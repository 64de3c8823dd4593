using SpinePolicy.Storage.Tests.Contract;

namespace SpinePolicy.Storage.Tests.Sqlite;

/// <summary>The store contract on a fresh SQLite file per test.</summary>
public sealed class SqliteStoreContractTests : StoreContractTests
{
    protected override Task<string> CreateDatabaseAsync() =>
        Task.FromResult(Path.Combine(Path.GetTempPath(), "spinepolicy-tests", Guid.NewGuid().ToString("N"), "store.db"));

    protected override Task<StoreUnderTest> OpenAsync(string database, TimeProvider? clock = null) =>
        SqliteStores.OpenAsync(database, clock ?? TimeProvider.System, Cancel);
}
