using System.Net;
using Hl7.Fhir.Model;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.Fhir;
using SpinePolicy.FhirRest.Assertions;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.Storage;
using SpinePolicy.TestKit.Security;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>
/// The audit trail (AuditEvent) and the CRD coverage assertions (Basic) are the server's own records:
/// no client, whatever its role and scopes, creates, rewrites or deletes them through the REST API,
/// and no client reads an AuditEvent (it answers as if none existed: 404, never 405, which would
/// admit the id).
/// </summary>
public sealed class InternalRecordTamperingTests(SqliteFhirApi api) : IClassFixture<SqliteFhirApi>
{
    public static TheoryData<string> EveryRole => new()
    {
        TestTokens.DefaultFhirClientId,
        TestClients.AdministrationClientId,
        TestClients.ReviewerClientId,
        "unbound-client",
    };

    [Theory]
    [MemberData(nameof(EveryRole))]
    public async Task AuditEvent_WriteByAnyClient_RefusedAndTrailUnchanged(string clientId)
    {
        var existing = await StoredAuditEventAsync();
        using var client = FhirHttp.Client(api.App, clientId, "system/*.*");

        using var create = await client.PostAsync(FhirHttp.Fhir("AuditEvent"), FhirHttp.Json(ForgedAudit()));
        using var update = await client.PutAsync(FhirHttp.Fhir($"AuditEvent/{existing.Id}"), FhirHttp.Json(ForgedAudit(existing.Id)));
        using var delete = await client.DeleteAsync(FhirHttp.Fhir($"AuditEvent/{existing.Id}"));

        await AssertRefusedAsync(create, update, delete);
        var after = await StoredAsync("AuditEvent", existing.Id!);
        Assert.Equal(FhirJson.Serialize(existing), FhirJson.Serialize(after!));
        Assert.DoesNotContain(await AllAsync("AuditEvent"), a => FhirJson.Serialize(a).Contains("forged-by-client", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EveryRole))]
    public async Task AuditEvent_ReadOrSearchByAnyClient_AnswersAsIfNoneExisted(string clientId)
    {
        var existing = await StoredAuditEventAsync();
        using var client = FhirHttp.Client(api.App, clientId, "system/*.*");

        using var read = await client.GetAsync(FhirHttp.Fhir($"AuditEvent/{existing.Id}"));
        using var unknown = await client.GetAsync(FhirHttp.Fhir("AuditEvent/no-such-audit"));
        using var search = await client.GetAsync(FhirHttp.Fhir("AuditEvent?_count=10"));

        Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, search.StatusCode);
        Assert.Equal(FhirJson.Serialize(await FhirHttp.OutcomeAsync(unknown)), FhirJson.Serialize(await FhirHttp.OutcomeAsync(read)));
    }

    [Theory]
    [MemberData(nameof(EveryRole))]
    public async Task Basic_WriteByAnyClient_RefusedAndAssertionUnchanged(string clientId)
    {
        var assertionId = FhirData.Unique("ca");
        await api.App.Services.GetRequiredService<ICoverageAssertionStore>().SaveAsync([FhirData.CoverageAssertion(assertionId, "p-78")], CancellationToken.None);
        using var reader = FhirHttp.Admin(api.App, "system/Basic.read");
        var before = await ReadBodyAsync(reader, $"Basic/{assertionId}");
        using var client = FhirHttp.Client(api.App, clientId, "system/*.*");
        var forged = await FhirHttp.ReadAsync<Basic>(await reader.GetAsync(FhirHttp.Fhir($"Basic/{assertionId}")));
        forged.GetExtension(CoverageAssertionBasic.ExtensionUrl)!.SetExtension("pa-needed", new Code("no-auth"));

        using var create = await client.PostAsync(FhirHttp.Fhir("Basic"), FhirHttp.Json(forged));
        using var update = await client.PutAsync(FhirHttp.Fhir($"Basic/{assertionId}"), FhirHttp.Json(forged));
        using var delete = await client.DeleteAsync(FhirHttp.Fhir($"Basic/{assertionId}"));

        await AssertRefusedAsync(create, update, delete);
        Assert.Equal(before, await ReadBodyAsync(reader, $"Basic/{assertionId}"));
        Assert.Empty(await AllAsync("Basic"));
    }

    private static async Task<string> ReadBodyAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(FhirHttp.Fhir(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task AssertRefusedAsync(params HttpResponseMessage[] responses)
    {
        foreach (var response in responses)
        {
            Assert.True(response.StatusCode is HttpStatusCode.MethodNotAllowed or HttpStatusCode.NotFound or HttpStatusCode.Forbidden,
                $"{response.RequestMessage!.Method} {response.RequestMessage.RequestUri}: {(int)response.StatusCode}");
            await FhirHttp.OutcomeAsync(response);
        }
    }

    private static AuditEvent ForgedAudit(string? id = null) => new()
    {
        Id = id,
        Type = new Coding("http://terminology.hl7.org/CodeSystem/audit-event-type", "rest"),
        Recorded = DateTimeOffset.UtcNow,
        OutcomeDesc = "forged-by-client",
        Agent = [new AuditEvent.AgentComponent { Requestor = true, Who = new ResourceReference { Display = "forged-by-client" } }],
        Source = new AuditEvent.SourceComponent { Observer = new ResourceReference { Display = "forged-by-client" } },
    };

    /// <summary>An AuditEvent the server itself wrote (the audit writer commits shortly after the answer).</summary>
    private async Task<AuditEvent> StoredAuditEventAsync()
    {
        using var admin = FhirHttp.Admin(api.App, "system/*.*");
        (await admin.GetAsync(FhirHttp.Fhir("Patient?_count=1"))).Dispose();
        for (var attempt = 0; attempt < 40; attempt++)
        {
            if ((await AllAsync("AuditEvent")) is [AuditEvent audit, ..])
            {
                return audit;
            }

            await Task.Delay(50);
        }

        throw new Xunit.Sdk.XunitException("The server wrote no AuditEvent.");
    }

    private async Task<IReadOnlyList<Resource>> AllAsync(string type)
    {
        var page = await api.App.Services.GetRequiredService<IResourceStore>().SearchAsync(new ResourceSearch(type) { Count = 1000 }, CancellationToken.None);
        return page.Resources.Select(r => FhirJson.Parse<Resource>(r.Json)).ToList();
    }

    private async Task<Resource?> StoredAsync(string type, string id) =>
        (await AllAsync(type)).FirstOrDefault(r => r.Id == id);
}
