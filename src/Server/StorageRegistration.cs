using SpinePolicy.Storage;
using SpinePolicy.Storage.Sqlite;

namespace SpinePolicy.Server;

/// <summary>Chooses the storage provider from configuration ("Storage:Provider": Sqlite or Postgres).</summary>
public static class StorageRegistration
{
    public const string SectionName = "Storage";

    /// <summary>
    /// Registers the configured provider. A provider name we do not know, or PostgreSQL without a
    /// connection string, stops start-up here with a message naming the setting.
    /// </summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var provider = section["Provider"];
        if (string.IsNullOrWhiteSpace(provider) || provider.Equals("Sqlite", StringComparison.OrdinalIgnoreCase))
        {
            var path = section["Sqlite:Path"];
            services.AddSqliteStorage(serviceProvider => new SqliteStorageOptions
            {
                // A relative path is relative to the content root, not to wherever the process started.
                Path = Path.GetFullPath(
                    string.IsNullOrWhiteSpace(path) ? SqliteStorageOptions.DefaultPath : path,
                    serviceProvider.GetRequiredService<IHostEnvironment>().ContentRootPath),
            });
            return services;
        }

        throw new InvalidOperationException(
            $"Storage:Provider is '{provider}', which is not a storage provider. Use 'Sqlite' (the default) or 'Postgres'.");
    }

    /// <summary>Creates or migrates the schema before the first request is served.</summary>
    public static async Task InitializeStorageAsync(this WebApplication app)
    {
        var initializer = app.Services.GetRequiredService<IStorageInitializer>();
        await initializer.InitializeAsync(app.Lifetime.ApplicationStopping);
    }
}
