using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
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

    public SpinePolicyApp(IDictionary<string, string?>? settings = null)
    {
        DatabasePath = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db");
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["Storage:Provider"] = "Sqlite",
            ["Storage:Sqlite:Path"] = DatabasePath,

            // Trust the test EHR (CDS Hooks) and the test authorization server (FHIR API) with
            // the keys TestSigningKeys made for this run.
            ["CdsHooks:Authentication:TrustedClients:0:Issuer"] = TestTokens.EhrIssuer,
            ["CdsHooks:Authentication:TrustedClients:0:Jwks"] = TestSigningKeys.PublicJwks,
            ["FhirAuthentication:Issuers:0:Issuer"] = TestTokens.FhirIssuer,
            ["FhirAuthentication:Issuers:0:Jwks"] = TestSigningKeys.PublicJwks,
            ["FhirAuthentication:Audience"] = TestTokens.FhirAudience,
        };
        if (settings is not null)
        {
            foreach (var (key, value) in settings)
            {
                _settings[key] = value;
            }
        }
    }

    /// <summary>The SQLite file this app uses (when on SQLite).</summary>
    public string DatabasePath { get; }

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>An HttpClient for the FHIR API carrying an access token with these scopes.</summary>
    public HttpClient CreateFhirClient(params string[] scopes)
    {
        var client = CreateClient();
        var token = TestTokens.MintFhirToken(scopes.Length > 0 ? scopes : ["system/*.*"]);
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");

        // UseSetting (not ConfigureAppConfiguration) so that values Program reads while it builds
        // the host, before Build(), already see the test's settings.
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
