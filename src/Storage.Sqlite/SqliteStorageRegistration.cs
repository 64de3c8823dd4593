using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Sqlite;

public static class SqliteStorageRegistration
{
    /// <summary>Registers every storage port on one SQLite file.</summary>
    public static IServiceCollection AddSqliteStorage(this IServiceCollection services, Func<IServiceProvider, SqliteStorageOptions> options)
    {
        services.AddSingleton(provider => new SqliteDatabase(options(provider)));
        services.AddSingleton<SqlDatabase>(provider => provider.GetRequiredService<SqliteDatabase>());
        return services.AddSqlStores();
    }
}
