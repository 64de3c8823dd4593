using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace SpinePolicy.Storage.Postgres;

public static class PostgresStorageRegistration
{
    /// <summary>Registers every storage port on one PostgreSQL database (one pooled data source).</summary>
    public static IServiceCollection AddPostgresStorage(this IServiceCollection services, PostgresStorageOptions options)
    {
        services.AddSingleton(_ => new PostgresDatabase(options));
        services.AddSingleton<PostgresResourceStore>();
        services.AddSingleton<IResourceStore>(provider => provider.GetRequiredService<PostgresResourceStore>());
        services.AddSingleton<ICoverageAssertionStore, PostgresCoverageAssertionStore>();
        services.AddSingleton<PostgresReplayCache>();
        services.AddSingleton<IReplayCache>(provider => provider.GetRequiredService<PostgresReplayCache>());
        services.AddSingleton<IDatabaseHealth, PostgresDatabaseHealth>();
        services.AddSingleton<IStorageInitializer, PostgresSchemaInitializer>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
