using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>
/// The real server (authentication on) configured the way a payer would: its own payor id, the test
/// EHR trusted. Shared by a test class; every test arranges its own member and orders.
/// </summary>
public class CrdApp : IDisposable
{
    private int _allowedFhirServers;

    public CrdApp() : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>An app with extra settings, for the tests that need their own configuration.</summary>
    public static CrdApp With(IDictionary<string, string?> settings) => new(settings);

    protected CrdApp(IDictionary<string, string?> settings)
    {
        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["MemberCoverage:PayorIdentifiers:0"] = CrdTestData.OurPayor,
        };
        foreach (var (key, value) in settings)
        {
            all[key] = value;
        }

        App = new SpinePolicyApp(all);
        Client = App.CreateClient();
    }

    public SpinePolicyApp App { get; }

    public HttpClient Client { get; }

    /// <summary>
    /// Puts an EHR's FHIR base on the test EHR's allow-list (TrustedClients:0:FhirServers), as an
    /// operator editing the configuration would: the running server picks the change up without a
    /// restart. Until then no hook of that EHR is answered with fetches from it.
    /// </summary>
    public void AllowFhirServer(Uri fhirBase)
    {
        var configuration = (IConfigurationRoot)App.Services.GetRequiredService<IConfiguration>();
        configuration[$"CdsHooks:Authentication:TrustedClients:0:FhirServers:{Interlocked.Increment(ref _allowedFhirServers)}"] = fhirBase.ToString();
        configuration.Reload();
    }

    public static string ServiceUrl(string serviceId) => $"http://localhost/cds-services/{serviceId}";

    /// <summary>POSTs a hook request with a fresh client JWT for exactly the called URL.</summary>
    public Task<CrdCall> CallAsync(string serviceId, JsonNode body) =>
        CallAsync(serviceId, body, TestTokens.MintCdsHooksToken(ServiceUrl(serviceId)));

    public Task<CrdCall> CallAsync(string serviceId, JsonNode body, string? token) =>
        SendAsync(serviceId, new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), token);

    public async Task<CrdCall> SendAsync(string serviceId, HttpContent content, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{serviceId}") { Content = content };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await Client.SendAsync(request);
        return await CrdCall.ReadAsync(response);
    }

    public void Dispose()
    {
        Client.Dispose();
        App.Dispose();
        GC.SuppressFinalize(this);
    }
}
