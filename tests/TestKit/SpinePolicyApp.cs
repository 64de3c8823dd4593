using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SpinePolicy.TestKit.Logging;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.TestKit;

/// <summary>
/// The real server in-process, on its own SQLite file (unless settings choose otherwise), so that
/// no test reads another's writes. Settings override configuration the way environment variables
/// would in production.
/// </summary>
public class SpinePolicyApp : WebApplicationFactory<Program>
{
    private readonly Dictionary<string, string?> _settings;
    private bool _scanned;

    public SpinePolicyApp(IDictionary<string, string?>? settings = null)
    {
        DatabasePath = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:Sqlite:Path"] = DatabasePath,

            // Each app's own audit journal, so no test replays another's spilled records.
            ["Audit:JournalDirectory"] = Path.ChangeExtension(DatabasePath, ".audit-journal"),

            // The address the in-process test server answers on (WebApplicationFactory's default
            // client base): CDS Hooks audiences and every link are built from it.
            ["PublicBaseUrl"] = PublicBaseUrl,

            // Trust the test EHR (CDS Hooks) and the test authorization server (FHIR API) with
            // the keys TestSigningKeys made for this run.
            ["CdsHooks:Authentication:TrustedClients:0:Issuer"] = TestTokens.EhrIssuer,
            ["CdsHooks:Authentication:TrustedClients:0:Jwks"] = TestSigningKeys.PublicJwks,
            ["FhirAuthentication:Issuers:0:Issuer"] = TestTokens.FhirIssuer,
            ["FhirAuthentication:Issuers:0:Jwks"] = TestSigningKeys.PublicJwks,
            ["FhirAuthentication:Audience"] = TestTokens.FhirAudience,

            // Tests send bursts from one caller; a test about rate limiting switches it on.
            ["RateLimiting:Enabled"] = "false",
        };
        foreach (var (key, value) in TestClients.Bindings())
        {
            _settings[key] = value;
        }

        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                _settings[key] = value;
            }
        }
    }

    /// <summary>The public base URL test apps are configured with.</summary>
    public const string PublicBaseUrl = "http://localhost";

    /// <summary>
    /// The host environment: "Testing", unless a test runs the server as `dotnet run` does
    /// ("Development": FHIR API open, demo reviewer signed in).
    /// </summary>
    public string EnvironmentName { get; init; } = "Testing";

    /// <summary>The SQLite file this app uses (when on SQLite).</summary>
    public string DatabasePath { get; }

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>Replaces or adds server services for one test (applied after the server's own registrations).</summary>
    public Action<IServiceCollection>? TestServices { get; init; }

    /// <summary>Every log line this server wrote (also appended to <see cref="SuiteLogFile"/>).</summary>
    public CapturingLoggerProvider Logs { get; } = new();

    /// <summary>Patient data this server was sent; none of it may appear in <see cref="Logs"/>.</summary>
    public PhiSightings PhiSent { get; } = new();

    /// <summary>Log lines holding patient data this server was sent (should be none).</summary>
    public IReadOnlyList<PhiLogFinding> FindPhiInLogs() =>
        PhiLogScanner.Scan(Logs.Entries.Select(e => e.ToString()), PhiSent.Values);

    /// <summary>An HttpClient for the FHIR API carrying an access token with these scopes, as the default (provider) client.</summary>
    public HttpClient CreateFhirClient(params string[] scopes) => CreateFhirClientAs(TestTokens.DefaultFhirClientId, scopes);

    /// <summary>As this payer's back office (<see cref="TestClients.AdministrationClientId"/>): the one client that writes the member roster.</summary>
    public HttpClient CreateBackOfficeClient(params string[] scopes) => CreateFhirClientAs(TestClients.AdministrationClientId, scopes);

    /// <summary>An HttpClient for the FHIR API as a given client (see <see cref="TestClients"/>), with these scopes (default system/*.*).</summary>

    public HttpClient CreateFhirClientAs(string clientId, params string[] scopes) => CreateFhirClientAs(clientId, TestTokens.FhirIssuer, scopes);

    public HttpClient CreateFhirClientAs(string clientId, string issuer, params string[] scopes)
    {
        var client = CreateClient();
        var token = TestTokens.MintFhirToken(scopes.Length > 0 ? scopes : ["system/*.*"], clientId, issuer);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Serves on a real loopback port (for a browser) instead of the in-memory test server, and
    /// returns its base address, e.g. http://127.0.0.1:5123.
    /// </summary>
    public Uri StartOnLoopback()
    {
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First());
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);

        // UseSetting (not ConfigureAppConfiguration) so that values Program reads while it builds
        // the host, before Build(), already see the test's settings.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        // Our own categories at every level (a Debug line must not leak either); the framework's at
        // the configured levels.
        builder.ConfigureLogging(logging => logging
            .AddProvider(Logs)
            .AddFilter<CapturingLoggerProvider>("SpinePolicy", LogLevel.Trace));
        builder.ConfigureServices(services => services.AddSingleton<IStartupFilter>(new PhiSniffingStartupFilter(PhiSent)));
        if (TestServices is { } configure)
        {
            builder.ConfigureTestServices(configure);
        }
    }

    /// <summary>
    /// Every test server checks its own logs when it shuts down: patient data it was sent must not
    /// be in them. So the whole suite's logs are scanned, whichever test ran the flow.
    /// (SPINEPOLICY_PHI_LOG_SCAN=off disables the check, e.g. while debugging.)
    /// </summary>
    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
        if (_scanned || string.Equals(Environment.GetEnvironmentVariable("SPINEPOLICY_PHI_LOG_SCAN"), "off", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        _scanned = true;
        var findings = FindPhiInLogs();
        if (findings.Count > 0)
        {
            throw new InvalidOperationException($"Patient data found in the server's logs ({findings.Count} line(s)):{Environment.NewLine}{string.Join(Environment.NewLine, findings.Take(10))}");
        }
    }
}
