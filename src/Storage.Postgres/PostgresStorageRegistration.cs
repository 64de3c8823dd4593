using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Storage.Relational;

namespace SpinePolicy.Storage.Postgres;

public static class PostgresStorageRegistration
{
    /// <summary>Registers every storage port on one PostgreSQL database (one pooled data source).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresStorageOptions options)
    {
        services.AddSingleton(_ => new PostgresDatabase(options));
        services.AddSingleton<SqlDatabase>(provider => provider.GetRequiredService<PostgresDatabase>());
        return services.AddSqlStores();
    }
}
