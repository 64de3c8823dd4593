using System.Net.Http.Headers;
using System.Text;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using WireMock.Server;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// One server for all fuzz families (starting a host per family would cost more than the inputs),
/// with an EHR FHIR server (WireMock) that knows nothing, so CDS Hooks fetches fail fast.
/// CDS Hooks client authentication is switched off here by explicit configuration: the fuzzers aim
/// at what happens after authentication; the JWT rejections have their own tests in the CRD slice.
/// FHIR calls carry a valid access token.
/// </summary>
public sealed class FuzzAppFixture : IAsyncLifetime
{
    public WireMockServer Ehr { get; } = WireMockServer.Start();

    public SpinePolicyApp App { get; private set; } = null!;

    public HttpClient Fhir { get; private set; } = null!;

    public HttpClient CdsHooks { get; private set; } = null!;

    /// <summary>
    /// Another payer (payer-to-payer), under a new client id per request: $member-match refuses every
    /// other kind of client before reading the body, and a fresh id keeps the lockout, which follows
    /// one client's failures, from answering in place of the matcher.
    /// </summary>
    public HttpClient PayerPartner { get; private set; } = null!;

    public System.Threading.Tasks.Task InitializeAsync()
    {
        App = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["CdsHooks:Authentication:Enabled"] = "false",
        });
        Fhir = App.CreateDefaultClient(new FreshFhirTokenHandler());
        CdsHooks = App.CreateClient();
        PayerPartner = App.CreateDefaultClient(new FreshFhirTokenHandler(() => $"fuzz-payer-{Guid.NewGuid():N}", TestTokens.PartnerIssuer));
        return System.Threading.Tasks.Task.CompletedTask;
    }

    public async System.Threading.Tasks.Task DisposeAsync()
    {
        Fhir.Dispose();
        CdsHooks.Dispose();
        PayerPartner.Dispose();
        await App.DisposeAsync();
        Ehr.Stop();
        Ehr.Dispose();
    }

    /// <summary>The status a valid request gets now, to compare before and after a fuzz run.</summary>
    public static async Task<int> PostValidAsync(HttpClient client, string path, byte[] body, string contentType)
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await client.PostAsync(path, content);
        return (int)response.StatusCode;
    }

    public async Task<bool> IsAliveAsync()
    {
        using var response = await App.CreateClient().GetAsync("/healthz");
        return response.IsSuccessStatusCode;
    }

    public byte[] OrderSignBody() => Encoding.UTF8.GetBytes(ValidRequests.OrderSign(Ehr.Url!).ToJsonString());
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzAppFixture>
{
    public const string Name = "Fuzz";
}
