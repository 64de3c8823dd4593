using Microsoft.Playwright;
using SpinePolicy.TestKit.Ehr;
using SpinePolicy.TestKit.Security;
using WireMock.Server;

namespace SpinePolicy.ReviewQueue.Tests.Support;

/// <summary>
/// Everything a request meets from the clinic to the reviewer, on one server: the test EHR that
/// launches the DTR app (the one the DTR browser tests use), the server serving both /dtr/ and
/// /review/ (reviewers signing in through the OpenID Connect provider), and WireMock as the clinic's
/// subscription endpoint. The FHIR API needs tokens, as in production: the DTR app signs the
/// clinician in to the payer's sign-in server, whose tokens name the clinic the EHR's orders name,
/// so the clinic's own API client sees what was submitted from the app.
/// </summary>
public sealed class JourneyServer : ReviewQueueServer
{
    public const string DtrClientId = "spinepolicy-dtr";

    public SmartTestEhr Ehr { get; } = new(DtrClientId, EhrRecords.ApprovedPatient, EhrRecords.All());

    public PayerSignInServer PayerSignIn { get; } = new(DtrClientId)
    {
        UserOrganization = { $"{TestClients.NpiSystem}|{EhrRecords.PainClinicNpi}", $"{TestClients.NpiSystem}|{EhrRecords.PhysicianNpi}" },
    };

    /// <summary>The clinic's notification endpoint (on loopback, so allow-listed below).</summary>
    public WireMockServer Subscriber { get; } = WireMockServer.Start();

    protected override async Task<IReadOnlyDictionary<string, string?>> StartNeighboursAsync()
    {
        await Ehr.StartAsync();
        await PayerSignIn.StartAsync();
        Ehr.FhirUser = EhrRecords.Physician;
        return new Dictionary<string, string?>(PayerSignIn.ServerSettings(issuerIndex: 1, clientIndex: 8))
        {
            ["DtrApp:AllowedIssuers:0"] = Ehr.FhirBase,
            ["DtrApp:ClientId"] = DtrClientId,
            ["DtrApp:PayerClientId"] = DtrClientId,

            // As the PAS subscription tests: a plain-http subscriber on this machine, polled often.
            ["Pas:AllowHttpSubscriptionEndpoints"] = "true",
            ["Pas:NotificationPollInterval"] = "00:00:00.050",
            ["Pas:NotificationRetryDelay"] = "00:00:00.050",
            ["Pas:SubscriptionEndpointAllowList:0"] = "localhost",
            ["Pas:SubscriptionEndpointAllowList:1"] = "127.0.0.1",
        };
    }

    /// <summary>The EHR launches the DTR app for this patient with this launch context, in a fresh browser context.</summary>
    public async Task<IPage> LaunchDtrAsync(string patientId, params object[] fhirContext)
    {
        Ehr.PatientId = patientId;
        Ehr.FhirContext.Clear();
        Ehr.FhirContext.AddRange(fhirContext);
        var page = await Chromium.NewPageAsync();
        await page.GotoAsync(Ehr.LaunchUrl(new Uri(BaseUrl + "/dtr/launch"), $"launch-{patientId}"));
        return page;
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Ehr.DisposeAsync();
        await PayerSignIn.DisposeAsync();
        Subscriber.Stop();
        Subscriber.Dispose();
    }
}
