using Microsoft.Playwright;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Browser;
using SpinePolicy.TestKit.Ehr;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// One test EHR, this payer's sign-in server, one SpinePolicy server with its FHIR API closed as in
/// production (all on real loopback ports) and one headless Chromium, shared by the browser tests
/// of a class; each test opens its own browser context (fresh session storage) and launches the
/// app for its own member. The app signs its user in to the EHR, then to the payer.
/// </summary>
public class DtrBrowserFixture : IAsyncLifetime
{
    public const string ClientId = "spinepolicy-dtr";

    public SmartTestEhr Ehr { get; } = new(ClientId, EhrRecords.ApprovedPatient, EhrRecords.All());

    /// <summary>The payer's authorization server; its users work for the pain clinic the EHR's orders name.</summary>
    public PayerSignInServer PayerSignIn { get; } = new(ClientId)
    {
        UserOrganization = { $"{TestClients.NpiSystem}|{EhrRecords.PainClinicNpi}", $"{TestClients.NpiSystem}|{EhrRecords.PhysicianNpi}" },
    };

    public SpinePolicyApp Server { get; private set; } = null!;

    public Uri ServerBase { get; private set; } = null!;

    public HeadlessChromium Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Ehr.StartAsync();
        await PayerSignIn.StartAsync();
        Ehr.FhirUser = EhrRecords.Physician;
        Server = CreateServer();
        ServerBase = Server.StartOnLoopback();
        PayerSignIn.ExpectedAudience = new Uri(ServerBase, "/fhir").ToString();
        Chromium = await HeadlessChromium.LaunchAsync();
    }

    /// <summary>The server, told to trust the test EHR and the payer's sign-in server; its FHIR API needs tokens.</summary>
    protected virtual SpinePolicyApp CreateServer() => new(new Dictionary<string, string?>(PayerSignIn.ServerSettings(issuerIndex: 1, clientIndex: 8))
    {
        ["DtrApp:AllowedIssuers:0"] = Ehr.FhirBase,
        ["DtrApp:ClientId"] = ClientId,
        ["DtrApp:PayerClientId"] = ClientId,
        ["FhirAuthentication:Enabled"] = "true",
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
        await PayerSignIn.DisposeAsync();
        await Ehr.DisposeAsync();
    }
}
