using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.CdsHooks.Tests.Feedback;

/// <summary>The CRD server for the feedback suite, on one storage provider.</summary>
public abstract class FeedbackApp : IAsyncLifetime
{
    private CrdApp? _crd;

    public CrdApp Crd => _crd ?? throw new InvalidOperationException("The fixture has not started.");

    protected abstract Task<IDictionary<string, string?>> SettingsAsync();

    public async Task InitializeAsync() => _crd = CrdApp.With(await SettingsAsync());

    public Task DisposeAsync()
    {
        _crd?.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class SqliteFeedbackApp : FeedbackApp
{
    protected override Task<IDictionary<string, string?>> SettingsAsync() => Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());
}

public sealed class PostgresFeedbackApp : FeedbackApp
{
    protected override async Task<IDictionary<string, string?>> SettingsAsync() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
    };
}

public sealed class FeedbackSqliteTests(SqliteFeedbackApp app) : FeedbackSuite(app), IClassFixture<SqliteFeedbackApp>;

public sealed class FeedbackPostgresTests(PostgresFeedbackApp app) : FeedbackSuite(app), IClassFixture<PostgresFeedbackApp>;
