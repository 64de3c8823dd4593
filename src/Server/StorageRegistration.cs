using Npgsql;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Postgres;
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

        if (provider.Equals("Postgres", StringComparison.OrdinalIgnoreCase) || provider.Equals("PostgreSQL", StringComparison.OrdinalIgnoreCase))
        {
            services.AddPostgresStorage(new PostgresStorageOptions { ConnectionString = ValidPostgresConnectionString(section["Postgres:ConnectionString"]) });
            return services;
        }

        throw new InvalidOperationException(
            $"Storage:Provider is '{provider}', which is not a storage provider. Use 'Sqlite' (the default) or 'Postgres'.");
    }

    /// <summary>Present and parseable; the message never repeats the string (it may hold a password).</summary>
    private static string ValidPostgresConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidOperationException(
                "Storage:Provider is 'Postgres' but Storage:Postgres:ConnectionString is empty. Set it (e.g. the environment variable Storage__Postgres__ConnectionString).");
        }

        try
        {
            _ = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (ArgumentException ex)
        {
            throw new InvalidOperationException($"Storage:Postgres:ConnectionString is not a valid PostgreSQL connection string: {ex.GetType().Name}.", ex);
        }

        return connectionString;
    }

    /// <summary>Creates or migrates the schema before the first request is served.</summary>
    public static async Task InitializeStorageAsync(this WebApplication app)
    {
        var initializer = app.Services.GetRequiredService<IStorageInitializer>();
        await initializer.InitializeAsync(app.Lifetime.ApplicationStopping);
    }
}
