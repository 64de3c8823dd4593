using System.Net;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.PayerToPayer;

/// <summary>
/// A payer-to-payer client is its issuer and its client id together: two authorization servers
/// each mint their own client ids, so the same id at another trusted issuer is another payer. Its
/// consent grants and its $member-match lockout must never be shared with that other payer (a
/// payer registering "acme" at a second payer-to-payer issuer would otherwise read every member
/// the first "acme" matched, and could lock it out). Run on both stores.
/// </summary>
public abstract class PartnerIssuerSeparationSuite
{
    /// <summary>A second payer-to-payer authorization server, trusted like the first ("*" binds all its clients).</summary>
    private const string SecondPartnerIssuer = "https://other-partner-auth.test.example";

    protected abstract Task<IDictionary<string, string?>> StoreSettingsAsync();

    private async Task<SpinePolicyApp> StartAsync()
    {
        var settings = new Dictionary<string, string?>(await StoreSettingsAsync())
        {
            ["MemberCoverage:PayorIdentifiers:0"] = FhirData.OurPayerId,
            ["FhirAuthentication:Issuers:20:Issuer"] = SecondPartnerIssuer,
            ["FhirAuthentication:Issuers:20:Jwks"] = TestSigningKeys.PublicJwks,
            ["FhirAuthentication:Clients:20:Issuer"] = SecondPartnerIssuer,
            ["FhirAuthentication:Clients:20:ClientId"] = "*",
            ["FhirAuthentication:Clients:20:Role"] = "PayerPartner",
        };
        return new SpinePolicyApp(settings);
    }

    [Fact]
    public async Task Grant_OfAClientId_IsNotHonouredForTheSameClientIdOfAnotherIssuer()
    {
        await using var app = await StartAsync();
        var (patientId, demographics, memberId) = await ArrangeMemberAsync(app);
        var clientId = FhirData.Unique("acme");
        using var first = FhirHttp.Partner(app, clientId, "system/Patient.read", "system/ExplanationOfBenefit.read");
        using var match = await first.PostAsync(FhirHttp.Fhir("Patient/$member-match"),
            FhirHttp.Json(FhirData.MemberMatch(demographics, FhirData.CardCoverage(memberId), FhirData.CurrentConsent())));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);

        using var namesake = app.CreateFhirClientAs(clientId, SecondPartnerIssuer, "system/Patient.read", "system/ExplanationOfBenefit.read");
        using var eobs = await namesake.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={patientId}&use=preauthorization"));
        using var patient = await namesake.GetAsync(FhirHttp.Fhir($"Patient/{patientId}"));

        Assert.Equal(HttpStatusCode.Forbidden, eobs.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, patient.StatusCode);
        Assert.DoesNotContain("Separate", await patient.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The payer that matched still reads what it matched.
        using var own = await first.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={patientId}&use=preauthorization"));
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
    }

    [Fact]
    public async Task Lockout_OfAClientIdAtAnotherIssuer_DoesNotLockThisOneOut()
    {
        await using var app = await StartAsync();
        var (_, demographics, memberId) = await ArrangeMemberAsync(app);
        var clientId = FhirData.Unique("acme");
        using var namesake = app.CreateFhirClientAs(clientId, SecondPartnerIssuer, "system/Patient.read");
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var miss = await namesake.PostAsync(FhirHttp.Fhir("Patient/$member-match"),
                FhirHttp.Json(FhirData.MemberMatch(demographics, FhirData.CardCoverage(FhirData.Unique("M")), FhirData.CurrentConsent())));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, miss.StatusCode);
        }

        using var honest = FhirHttp.Partner(app, clientId, "system/Patient.read");
        using var match = await honest.PostAsync(FhirHttp.Fhir("Patient/$member-match"),
            FhirHttp.Json(FhirData.MemberMatch(demographics, FhirData.CardCoverage(memberId), FhirData.CurrentConsent())));

        Assert.Equal(HttpStatusCode.OK, match.StatusCode);
    }

    private static async Task<(string PatientId, Hl7.Fhir.Model.Patient Demographics, string MemberId)> ArrangeMemberAsync(SpinePolicyApp app)
    {
        using var admin = FhirHttp.Admin(app);
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Separate", "Sam", "1961-02-03", memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        return (patient.Id!, FhirData.Patient("Separate", "Sam", "1961-02-03"), memberId);
    }
}

public sealed class PartnerIssuerSeparationSqliteTests : PartnerIssuerSeparationSuite
{
    protected override Task<IDictionary<string, string?>> StoreSettingsAsync() =>
        Task.FromResult<IDictionary<string, string?>>(new Dictionary<string, string?>());
}

public sealed class PartnerIssuerSeparationPostgresTests : PartnerIssuerSeparationSuite
{
    protected override async Task<IDictionary<string, string?>> StoreSettingsAsync() => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
    };
}
