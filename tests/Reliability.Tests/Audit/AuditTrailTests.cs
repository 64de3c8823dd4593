using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.Reliability.Tests.Fuzzing;
using SpinePolicy.Storage;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Audit;

/// <summary>
/// Every read, search and decision leaves a FHIR AuditEvent in the store naming who, what, when,
/// which member and the outcome; none of it goes to the application log.
/// </summary>
public sealed class AuditTrailTests
{
    [Fact]
    public async Task FhirRead_OfPatient_AuditedWithClientMemberAndOutcome()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateBackOfficeClient("system/*.*");
        var created = await CreatePatientAsync(client);
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);

        using var read = await client.GetAsync($"/fhir/Patient/{created}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);

        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "read") && Mentions(a, $"Patient/{created}"));
        Assert.Equal(AuditEvent.AuditEventAction.R, audit.Action);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, audit.Outcome);
        Assert.True(audit.Recorded >= before);
        var who = audit.Agent.Single(a => a.Requestor == true).Who?.Identifier;
        Assert.NotNull(who);
        Assert.Equal(TestClients.AdministrationClientId, who.Value);
        Assert.Equal(TestTokens.FhirIssuer, who.System);
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{created}" && e.Role?.Code == "1");
        FhirProfileValidation.Shared.AssertConforms(audit, "http://hl7.org/fhir/StructureDefinition/AuditEvent");
    }

    [Theory]
    [InlineData("/fhir/Patient/member-secret-42", "system/Claim.read", "read")]
    [InlineData("/fhir/ClaimResponse?patient=member-secret-42", "system/Patient.read", "search-type")]
    [InlineData("/fhir/Patient?identifier=member-secret-42", "system/*.*", "search-type")]
    public async Task FhirRequest_Forbidden_AuditedExactlyOnceWithClientAndNoMemberData(string path, string scope, string interaction)
    {
        await using var app = new SpinePolicyApp();
        var clientId = $"probe-{Guid.NewGuid():N}";
        using var client = app.CreateFhirClientAs(clientId, [scope]);

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var audit = await FindAuditAsync(app, a => IsBy(a, clientId));
        Assert.Equal(AuditEvent.AuditEventOutcome.N4, audit.Outcome);
        Assert.Equal("HTTP 403", audit.OutcomeDesc);
        Assert.Contains(audit.Subtype, s => s.Code == interaction);
        Assert.Equal(TestTokens.FhirIssuer, audit.Agent.Single(a => a.Requestor == true).Who!.Identifier!.System);
        var recorded = FhirJson.Serialize(audit);
        Assert.DoesNotContain("member-secret-42", recorded, StringComparison.Ordinal);
        Assert.All(audit.Entity, e => Assert.Null(e.What));
        FhirProfileValidation.Shared.AssertConforms(audit, "http://hl7.org/fhir/StructureDefinition/AuditEvent");

        // Exactly one: nothing else for this client arrives once the writer has drained.
        await Task.Delay(300);
        Assert.Single(await AllAuditsAsync(app), a => IsBy(a, clientId));
    }

    [Fact]
    public async Task FhirRequest_WithoutToken_NotAudited()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateClient();
        using var forbidden = app.CreateFhirClientAs($"probe-{Guid.NewGuid():N}", ["system/Claim.read"]);

        using var anonymous = await client.GetAsync("/fhir/Patient/member-secret-43");
        using var marker = await forbidden.GetAsync("/fhir/Patient/member-secret-44");
        await FindAuditAsync(app, a => a.OutcomeDesc == "HTTP 403");

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.DoesNotContain(await AllAuditsAsync(app), a => a.OutcomeDesc == "HTTP 401");
    }

    [Fact]
    public async Task FhirSearch_ByPatient_AuditedWithQueryAndMember()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient("system/*.*");

        using var search = await client.GetAsync("/fhir/ClaimResponse?patient=member-search-7");
        Assert.True(search.StatusCode < HttpStatusCode.InternalServerError);

        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "search-type") && Mentions(a, "Patient/member-search-7"));
        var query = audit.Entity.Single(e => e.Query is not null);
        Assert.Equal("patient=member-search-7", Encoding.UTF8.GetString(query.Query!));
    }

    /// <summary>
    /// DTR's $expand is served at system level too (DTR's payer statement lists it there) by the same
    /// handler: its record keeps the query as the type-level one does. Until 2026-12 a system-level
    /// call, which names no type, was recorded without what it asked.
    /// </summary>
    [Theory]
    [InlineData("/fhir/ValueSet/$expand")]
    [InlineData("/fhir/$expand")]
    public async Task Expand_AtTypeOrSystemLevel_AuditedWithTheQuery(string path)
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient("system/*.*");
        var marker = $"https://example.org/ValueSet/{Guid.NewGuid():N}";

        using var response = await client.GetAsync($"{path}?url={Uri.EscapeDataString(marker)}");
        Assert.True(response.StatusCode < HttpStatusCode.InternalServerError);

        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "$expand"));
        var query = Assert.Single(audit.Entity, e => e.Query is not null);
        Assert.Equal($"url={Uri.EscapeDataString(marker)}", Encoding.UTF8.GetString(query.Query!));
    }

    [Fact]
    public async Task CdsHooksCall_ForMember_AuditedAsDecisionRequest()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["CdsHooks:Authentication:Enabled"] = "false" });
        using var client = app.CreateClient();
        using var content = new StringContent(ValidRequests.OrderSign("http://ehr.invalid/fhir").ToJsonString(), Encoding.UTF8, "application/json");

        using var response = await client.PostAsync("/cds-services/order-sign-crd", content);

        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "order-sign-crd"));
        Assert.Equal(AuditEvent.AuditEventAction.E, audit.Action);
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{ValidRequests.PatientId}");
        Assert.Equal($"HTTP {(int)response.StatusCode}", audit.OutcomeDesc);

        // The hook names its own subjects (no re-scan of the answer): every assertion it made is recorded.
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var issued = AssertionIdsIn(await response.Content.ReadAsStringAsync());
        Assert.NotEmpty(issued);
        var recorded = audit.Entity.Select(e => e.What?.Identifier).Where(i => i?.System == SpinePolicy.Fhir.CoverageInformation.CoverageAssertionIds.System).Select(i => i!.Value!).ToHashSet();
        Assert.Subset(recorded, issued);
    }

    [Fact]
    public async Task QuestionnairePackage_ForMember_AuditedWithMember()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient("system/*.*");
        using var content = new ByteArrayContent(ValidRequests.Bytes(ValidRequests.QuestionnairePackage()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");

        using var response = await client.PostAsync("/fhir/Questionnaire/$questionnaire-package", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "$questionnaire-package"));
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, audit.Outcome);
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{ValidRequests.PatientId}");
    }

    [Fact]
    public async Task Submit_PasBundle_AuditedWithMember()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateFhirClient("system/*.*");
        using var content = new ByteArrayContent(ValidRequests.Bytes(ValidRequests.PasRequest("audit-claim-1")));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");

        using var response = await client.PostAsync("/fhir/Claim/$submit", content);

        var audit = await FindAuditAsync(app, a => a.Subtype.Any(s => s.Code == "$submit"));
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"Patient/{ValidRequests.PatientId}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AuditEvent.AuditEventOutcome.N0, audit.Outcome);

        // The decision returned is named in the record.
        var answer = FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync());
        var decision = Assert.IsType<ClaimResponse>(answer.Entry[0].Resource);
        Assert.Contains(audit.Entity, e => e.What?.Reference == $"ClaimResponse/{decision.Id}");
    }

    [Fact]
    public async Task AuditedRequests_ApplicationLog_HoldsNoAuditRecordOrMember()
    {
        await using var app = new SpinePolicyApp();
        using var client = app.CreateBackOfficeClient("system/*.*");
        var created = await CreatePatientAsync(client);
        (await client.GetAsync($"/fhir/Patient/{created}")).Dispose();
        await FindAuditAsync(app, a => Mentions(a, $"Patient/{created}"));

        Assert.DoesNotContain(app.Logs.Entries, e => e.Text.Contains("AuditEvent", StringComparison.Ordinal) || e.Text.Contains(created, StringComparison.Ordinal));
        Assert.Empty(app.FindPhiInLogs());
    }

    private static async Task<string> CreatePatientAsync(HttpClient client)
    {
        using var content = new ByteArrayContent(ValidRequests.Bytes(ValidRequests.Patient()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");
        using var response = await client.PostAsync("/fhir/Patient", content);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return FhirJson.Parse<Patient>(await response.Content.ReadAsStringAsync()).Id ?? throw new Xunit.Sdk.XunitException("The created Patient has no id.");
    }

    /// <summary>Every coverage-assertion-id sub-extension anywhere in a CDS Hooks answer.</summary>
    private static HashSet<string> AssertionIdsIn(string cdsResponse)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        void Walk(System.Text.Json.JsonElement element)
        {
            if (element.ValueKind == System.Text.Json.JsonValueKind.Array)
            {
                foreach (var item in element.EnumerateArray())
                {
                    Walk(item);
                }
            }
            else if (element.ValueKind == System.Text.Json.JsonValueKind.Object)
            {
                if (element.TryGetProperty("url", out var url) && url.ValueKind == System.Text.Json.JsonValueKind.String && url.GetString() == "coverage-assertion-id"
                    && element.TryGetProperty("valueString", out var value))
                {
                    ids.Add(value.GetString()!);
                }

                foreach (var property in element.EnumerateObject())
                {
                    Walk(property.Value);
                }
            }
        }

        using var document = System.Text.Json.JsonDocument.Parse(cdsResponse);
        Walk(document.RootElement);
        return ids;
    }

    private static bool Mentions(AuditEvent audit, string reference) => audit.Entity.Any(e => e.What?.Reference == reference);

    /// <summary>The audit is written as the request completes; allow it a moment.</summary>
    private static bool IsBy(AuditEvent audit, string clientId) =>
        audit.Agent.Any(a => a.Requestor == true && a.Who?.Identifier?.Value == clientId);

    private static async Task<IReadOnlyList<AuditEvent>> AllAuditsAsync(SpinePolicyApp app)
    {
        var page = await app.Services.GetRequiredService<IResourceStore>().SearchAsync(new ResourceSearch("AuditEvent") { Count = 1000 }, CancellationToken.None);
        return page.Resources.Select(r => FhirJson.Parse<AuditEvent>(r.Json)).ToList();
    }

    private static async Task<AuditEvent> FindAuditAsync(SpinePolicyApp app, Func<AuditEvent, bool> match)
    {
        var store = app.Services.GetRequiredService<IResourceStore>();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            var page = await store.SearchAsync(new ResourceSearch("AuditEvent") { Count = 100 }, CancellationToken.None);
            var found = page.Resources.Select(r => FhirJson.Parse<AuditEvent>(r.Json)).FirstOrDefault(match);
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("No matching AuditEvent was stored.");
    }
}
