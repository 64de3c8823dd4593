using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SpinePolicy.Storage.Sqlite;

public static class SqliteStorageRegistration
{
    /// <summary>Registers every storage port on one SQLite file.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, Func<IServiceProvider, SqliteStorageOptions> options)
    {
        services.AddSingleton(provider => new SqliteDatabase(options(provider)));
        services.AddSingleton<SqliteResourceStore>();
        services.AddSingleton<IResourceStore>(provider => provider.GetRequiredService<SqliteResourceStore>());
        services.AddSingleton<ICoverageAssertionStore, SqliteCoverageAssertionStore>();
        services.AddSingleton<SqliteReplayCache>();
        services.AddSingleton<IReplayCache>(provider => provider.GetRequiredService<SqliteReplayCache>());
        services.AddSingleton<IDatabaseHealth, SqliteDatabaseHealth>();
        services.AddSingleton<IStorageInitializer, SqliteSchemaInitializer>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
