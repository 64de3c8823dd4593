using Microsoft.Playwright;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Ehr;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// One test EHR, one SpinePolicy server (both on real loopback ports) and one headless Chromium,
/// shared by the browser tests of a class; each test opens its own browser context (fresh session
/// storage) and launches the app for its own member.
/// </summary>
public class DtrBrowserFixture : IAsyncLifetime
{
    public const string ClientId = "spinepolicy-dtr";

    public SmartTestEhr Ehr { get; } = new(ClientId, EhrRecords.ApprovedPatient, EhrRecords.All());

    public SpinePolicyApp Server { get; private set; } = null!;

    public Uri ServerBase { get; private set; } = null!;

    public HeadlessChromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ehr.StartAsync();
        Ehr.FhirUser = EhrRecords.Physician;
        Server = CreateServer();
        ServerBase = Server.StartOnLoopback();
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    /// <summary>The server, told to trust the test EHR; the payer API is open (see below).</summary>
    protected virtual SpinePolicyApp CreateServer() => new(new Dictionary<string, string?>
    {
        ["DtrApp:AllowedIssuers:0"] = Ehr.FhirBase,
        ["DtrApp:ClientId"] = ClientId,

        // The payer API is open here: the app's calls to /fhir carry no payer token (see docs/ui.md).
        ["FhirAuthentication:Enabled"] = "false",
    });

    /// <summary>A fresh page on a fresh context, with the launch context the EHR will hand out.</summary>
    public async Task<IPage> LaunchAsync(string patientId, params object[] fhirContext)
    {
        Ehr.PatientId = patientId;
        Ehr.FhirContext.Clear();
        Ehr.FhirContext.AddRange(fhirContext);
        var page = await Chromium.NewPageAsync(1280, 900);
        await page.GotoAsync(Ehr.LaunchUrl(new Uri(ServerBase, "/dtr/launch"), $"launch-{patientId}"));
        return page;
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Server.DisposeAsync();
        await Ehr.DisposeAsync();
    }
}
