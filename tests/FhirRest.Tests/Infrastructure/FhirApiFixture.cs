using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>
/// One server per test class (starting one per test would cost minutes); tests stay independent
/// by arranging their own patients, identifiers and client ids.
/// </summary>
public abstract class FhirApiFixture : IAsyncLifetime
{
    private FhirRestApp? _app;

    public FhirRestApp App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    /// <summary>The one Subscription endpoint host the fixtures allow-list (no DNS is needed to subscribe to it).</summary>
    public const string SubscriberHost = "subscriber.test.example";

    public abstract string Provider { get; }

    protected abstract Task<IDictionary<string, string?>> SettingsAsync();

    public async Task InitializeAsync()
    {
        _app = new FhirRestApp(await SettingsAsync());
        _app.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

public sealed class SqliteFhirApi : FhirApiFixture
{
    public override string Provider => "Sqlite";

    protected override Task<IDictionary<string, string?>> SettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>(IdentifiedPartner.Settings())
        {
            ["MemberCoverage:PayorIdentifiers:0"] = FhirData.OurPayerId,
            ["Pas:SubscriptionEndpointAllowList:0"] = SubscriberHost,

        // The payor the Inferno PAS fixtures name (by reference to their Organization): their requests are for this payer.
        ["MemberCoverage:PayorIdentifiers:1"] = "Organization/InsurerExample",
        });
}

public sealed class PostgresFhirApi : FhirApiFixture
{
    public override string Provider => "Postgres";

    protected override async Task<IDictionary<string, string?>> SettingsAsync() => new Dictionary<string, string?>(IdentifiedPartner.Settings())
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
        ["MemberCoverage:PayorIdentifiers:0"] = FhirData.OurPayerId,
        ["Pas:SubscriptionEndpointAllowList:0"] = SubscriberHost,

        // The payor the Inferno PAS fixtures name (by reference to their Organization): their requests are for this payer.
        ["MemberCoverage:PayorIdentifiers:1"] = "Organization/InsurerExample",
    };
}
