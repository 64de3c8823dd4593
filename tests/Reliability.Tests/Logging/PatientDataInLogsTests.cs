using System.Net.Http.Headers;
using System.Text;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Logging;

namespace SpinePolicy.Reliability.Tests.Logging;

/// <summary>
/// Representative flows across CRD, DTR, PAS and FHIR REST, good and bad input alike, with a member
/// whose name, birth date and member id are known: none of them may reach the application log.
/// (Every SpinePolicyApp also runs this scan over its own logs when it shuts down, so the whole
/// suite's logs are covered; these tests make sure the scan has something to find.)
/// </summary>
public sealed class PatientDataInLogsTests
{
    [Fact]
    public async Task EndToEndFlows_KnownMember_NoPatientDataInLogs()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["CdsHooks:Authentication:Enabled"] = "false" });
        using var fhir = app.CreateFhirClient("system/*.*");
        using var cds = app.CreateClient();

        // CRD: a valid order-sign, and a broken one that quotes the member back at a parser.
        var orderSign = ValidRequests.OrderSign("http://ehr.invalid/fhir");
        await PostAsync(cds, "/cds-services/order-sign-crd", Encoding.UTF8.GetBytes(orderSign.ToJsonString()), "application/json");
        orderSign["context"]!["draftOrders"] = ValidRequests.MemberId;
        await PostAsync(cds, "/cds-services/order-sign-crd", Encoding.UTF8.GetBytes(orderSign.ToJsonString()), "application/json");

        // A hookInstance that is not the UUID CDS Hooks asks for, but the member's id (found by fuzzing).
        var quotingHook = ValidRequests.OrderSign("http://ehr.invalid/fhir");
        quotingHook["hookInstance"] = ValidRequests.MemberId;
        await PostAsync(cds, "/cds-services/order-sign-crd", Encoding.UTF8.GetBytes(quotingHook.ToJsonString()), "application/json");
        await PostAsync(cds, "/cds-services/order-sign-crd", Encoding.UTF8.GetBytes($"{{\"hook\":\"{ValidRequests.FamilyName}\""), "application/json");

        // DTR, PAS, payer-to-payer and REST, each with valid and invalid versions.
        await PostAsync(fhir, "/fhir/Questionnaire/$questionnaire-package", ValidRequests.Bytes(ValidRequests.QuestionnairePackage()));
        await PostAsync(fhir, "/fhir/Questionnaire/$next-question", ValidRequests.Bytes(ValidRequests.NextQuestion()));
        await PostAsync(fhir, "/fhir/Claim/$submit", ValidRequests.Bytes(ValidRequests.PasRequest("phi-claim-1")));
        await PostAsync(fhir, "/fhir/Claim/$submit", Encoding.UTF8.GetBytes($"{{\"resourceType\":\"Bundle\",\"type\":\"{ValidRequests.MemberId}\"}}"));
        await PostAsync(fhir, "/fhir/Patient/$member-match", ValidRequests.Bytes(ValidRequests.MemberMatch()));
        await PostAsync(fhir, "/fhir/Patient/$member-match", Encoding.UTF8.GetBytes($"{{\"resourceType\":\"Parameters\",\"parameter\":[{{\"name\":\"MemberPatient\",\"resource\":{{\"resourceType\":\"Patient\",\"birthDate\":\"{ValidRequests.BirthDate}\",\"name\":[{{\"family\":\"{ValidRequests.FamilyName}\"}}],\"gender\":\"{ValidRequests.GivenName}\"}}}}]}}"));
        await PostAsync(fhir, "/fhir/Patient", ValidRequests.Bytes(ValidRequests.Patient()));
        await PostAsync(fhir, "/fhir/Coverage", ValidRequests.Bytes(ValidRequests.Coverage()));
        (await fhir.GetAsync($"/fhir/Patient?identifier={ValidRequests.MemberId}")).Dispose();
        (await fhir.GetAsync($"/fhir/Coverage?identifier=x|{ValidRequests.MemberId}&_count=-{ValidRequests.BirthDate}")).Dispose();
        (await fhir.GetAsync($"/fhir/ExplanationOfBenefit?patient={ValidRequests.PatientId}&use=preauthorization")).Dispose();
        (await fhir.GetAsync($"/fhir/Patient/{ValidRequests.MemberId}")).Dispose();

        // The scan must have known values to look for, or it proves nothing.
        var seen = app.PhiSent.Values.Select(v => v.Value).ToHashSet();
        Assert.Superset(new HashSet<string>(ValidRequests.PhiValues), seen);
        Assert.NotEmpty(app.Logs.Entries);

        var findings = PhiLogScanner.Scan(app.Logs.Entries.Select(e => e.ToString()), [.. ValidRequests.PhiValues.Select(v => new PhiValue("test member", v))]);
        Assert.True(findings.Count == 0, string.Join(Environment.NewLine, findings));
        Assert.Empty(app.FindPhiInLogs());
    }

    [Fact]
    public void Scanner_LineWithMemberData_Found()
    {
        var values = new[] { new PhiValue("member id", "MGBM55501234"), new PhiValue("family name", "Quixleyworth") };

        var findings = PhiLogScanner.Scan(
            ["Claim rejected for member MGBM55501234", "Quixleyworthy is another word", "nothing here", "name=Quixleyworth;"],
            values);

        Assert.Equal(2, findings.Count);
        Assert.DoesNotContain("MGBM55501234", findings[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Sightings_PatientAndCoverageInRequest_RecordNamesBirthDateAndMemberIds()
    {
        var sightings = new PhiSightings();

        sightings.AddFromJson(ValidRequests.Bytes(ValidRequests.MemberMatch()));

        var values = sightings.Values.Select(v => v.Value).ToHashSet();
        Assert.Superset(new HashSet<string>(ValidRequests.PhiValues), values);
    }

    [Fact]
    public void Sightings_ShortNumericIdentifier_NotTracked_LongOnesAre()
    {
        var sightings = new PhiSightings();

        sightings.Add("patient identifier", "123");
        sightings.Add("patient identifier", "12-34");
        sightings.Add("member id", "123456");
        sightings.Add("member id", "AB1");

        // "123" would match every "123.5 ms" timing; six digits and anything with letters still count.
        Assert.Equal(["123456", "AB1"], sightings.Values.Select(v => v.Value).Order(StringComparer.Ordinal));
    }

    private static async Task PostAsync(HttpClient client, string path, byte[] body, string mediaType = "application/fhir+json")
    {
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        using var response = await client.PostAsync(path, content);
        Assert.True((int)response.StatusCode < 500, $"{path} answered {(int)response.StatusCode}");
    }
}
