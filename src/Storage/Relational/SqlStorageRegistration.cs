using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Storage.Feedback;
using SpinePolicy.Storage.Keys;
using SpinePolicy.Storage.Limits;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.Storage.Relational;

public static class SqlStorageRegistration
{
    /// <summary>Registers every storage port on the <see cref="SqlDatabase"/> the provider registered.</summary>
    public static IServiceCollection AddSqlStores(this IServiceCollection services)
    {
        services.AddSingleton<SqlResourceStore>();
        services.AddSingleton<IResourceStore>(provider => provider.GetRequiredService<SqlResourceStore>());
        services.AddSingleton<ICoverageAssertionStore, SqlCoverageAssertionStore>();
        services.AddSingleton<ICardFeedbackStore, SqlCardFeedbackStore>();
        services.AddSingleton<INotificationOutbox, SqlNotificationOutbox>();
        services.AddSingleton<SqlReplayCache>();
        services.AddSingleton<IReplayCache>(provider => provider.GetRequiredService<SqlReplayCache>());
        services.AddSingleton<IRequestBudgetStore, SqlRequestBudgetStore>();
        services.AddSingleton<IAttemptLog, SqlAttemptLog>();
        services.AddSingleton<IDataProtectionKeyStore, SqlDataProtectionKeyStore>();
        services.AddSingleton<IDatabaseHealth, SqlDatabaseHealth>();
        services.AddSingleton<IStorageInitializer, SqlSchemaInitializer>();
        services.TryAddSingleton(TimeProvider.System);
        return services;
    }
}
