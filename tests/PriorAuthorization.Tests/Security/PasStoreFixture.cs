using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>One PAS server per store for the ownership probes; every probe arranges its own requests.</summary>
public abstract class PasStoreFixture : IAsyncLifetime
{
    private PasHost? _host;

    public PasHost Host => _host ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync() => _host = new PasHost(await SettingsAsync());

    public Task DisposeAsync()
    {
        _host?.Dispose();
        return Task.CompletedTask;
    }

    protected abstract Task<IDictionary<string, string?>> SettingsAsync();
}

public sealed class SqlitePasStore : PasStoreFixture
{
    protected override Task<IDictionary<string, string?>> SettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());
}

public sealed class PostgresPasStore : PasStoreFixture
{
    protected override async Task<IDictionary<string, string?>> SettingsAsync() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
    };
}
