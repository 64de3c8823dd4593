using System.Net;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Postgres;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.PayerToPayer;

/// <summary>A $member-match grant is stored, not remembered: it survives a restart and every instance honours it.</summary>
public sealed class GrantDurabilityTests
{
    private static readonly Dictionary<string, string?> OurPayer = new() { ["MemberCoverage:PayorIdentifiers:0"] = FhirData.OurPayerId };

    [Fact]
    public async Task Grant_AfterRestartOnSameSqliteFile_StillOpensPriorAuthorizations()
    {
        var settings = new Dictionary<string, string?>(OurPayer)
        {
            ["Storage:Sqlite:Path"] = Path.Combine(Path.GetTempPath(), "spinepolicy-tests", $"{Guid.NewGuid():N}.db"),
        };
        var clientId = FhirData.Unique("payer");
        string patientId;
        await using (var first = new SpinePolicyApp(settings))
        {
            patientId = await MatchAsync(first, clientId);
        }

        await using var second = new SpinePolicyApp(settings);
        using var payer = FhirHttp.Partner(second, clientId, "system/ExplanationOfBenefit.read");
        using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={patientId}&use=preauthorization"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Grant_MadeOnOneInstance_IsHonouredByAnotherOnSamePostgres()
    {
        var settings = new Dictionary<string, string?>(OurPayer)
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
        };
        await using var instanceA = new SpinePolicyApp(settings);
        await using var instanceB = new SpinePolicyApp(settings);
        var clientId = FhirData.Unique("payer");

        var patientId = await MatchAsync(instanceA, clientId);

        using var payer = FhirHttp.Partner(instanceB, clientId, "system/ExplanationOfBenefit.read");
        using var response = await payer.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={patientId}&use=preauthorization"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var otherClient = FhirHttp.Partner(instanceB, FhirData.Unique("payer"), "system/ExplanationOfBenefit.read");
        using var refused = await otherClient.GetAsync(FhirHttp.Fhir($"ExplanationOfBenefit?patient={patientId}&use=preauthorization"));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    private static async Task<string> MatchAsync(SpinePolicyApp app, string clientId)
    {
        using var admin = FhirHttp.Admin(app);
        var memberId = FhirData.Unique("M");
        var patient = await FhirHttp.CreateAsync(admin, FhirData.Patient("Durable", "Dee", "1964-04-04", memberId: memberId));
        await FhirHttp.CreateAsync(admin, FhirData.Coverage(patient.Id!, memberId));
        using var payer = FhirHttp.Partner(app, clientId, "system/Patient.read");
        using var match = await payer.PostAsync(FhirHttp.Fhir("Patient/$member-match"),
            FhirHttp.Json(FhirData.MemberMatch(FhirData.Patient("Durable", "Dee", "1964-04-04"), FhirData.CardCoverage(memberId), FhirData.CurrentConsent())));
        Assert.Equal(HttpStatusCode.OK, match.StatusCode);
        return patient.Id!;
    }
}
