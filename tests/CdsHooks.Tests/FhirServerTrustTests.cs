using System.Net;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Ehr;
using SpinePolicy.TestKit.Security;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// Where the EHR's access token (fhirAuthorization) may go: only to a fhirServer the signing EHR's
/// allow-list names, never along a redirect, and no log line names a fetched resource.
/// </summary>
public sealed class FhirServerTrustTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string EhrToken = "ehr-access-token";
    private const string Service = "order-sign-crd";

    private static Dictionary<string, string> CoverageSearch(string patientId) => new() { ["patient"] = patientId, ["status"] = "active" };

    [Fact]
    public async Task OrderSign_FhirServerNotOnTheEhrsAllowList_TokenNeverSentAnd412()
    {
        using var elsewhere = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40))
            .ServeSearch("Coverage", CoverageSearch(CrdTestData.PatientId), [CrdTestData.Coverage("MGB-COMMERCIAL")]);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(elsewhere.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.PreconditionFailed, call.Status);
        Assert.Equal("prefetch-missing", call.Error);
        Assert.Contains("fhirServer is not one this EHR is configured", call.Message, StringComparison.Ordinal);
        Assert.Empty(elsewhere.RequestedPaths);
    }

    [Fact]
    public async Task OrderSign_FhirServerNotOnTheAllowListButPrefetchComplete_AnsweredFromPrefetchWithoutFetching()
    {
        using var elsewhere = new FakeEhr();
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .FhirServer(elsewhere.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(("covered", "auth-needed"), (call.CoverageInfoFor("sr-facet").Covered, call.CoverageInfoFor("sr-facet").PaNeeded));
        Assert.Empty(elsewhere.RequestedPaths);
    }

    [Fact]
    public async Task OrderSign_FhirServerAllowListedForAnotherEhrOnly_NotFetchedWithThisEhrsHook()
    {
        const string otherIssuer = "https://ehr-two.test.example";
        using var ehrTwo = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40))
            .ServeSearch("Coverage", CoverageSearch(CrdTestData.PatientId), [CrdTestData.Coverage("MGB-COMMERCIAL")]);
        using var twoEhrs = CrdApp.With(new Dictionary<string, string?>
        {
            ["CdsHooks:Authentication:TrustedClients:1:Issuer"] = otherIssuer,
            ["CdsHooks:Authentication:TrustedClients:1:Jwks"] = TestSigningKeys.PublicJwks,
            ["CdsHooks:Authentication:TrustedClients:1:FhirServers:0"] = ehrTwo.FhirBase.ToString(),
        });
        JsonObject Hook() => new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehrTwo.FhirBase, EhrToken)
            .Build();

        var asEhrOne = await twoEhrs.CallAsync(Service, Hook(), TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(Service)));
        var pathsAfterEhrOne = ehrTwo.RequestedPaths.Count;
        var asEhrTwo = await twoEhrs.CallAsync(Service, Hook(), TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(Service), issuer: otherIssuer));

        Assert.Equal(HttpStatusCode.PreconditionFailed, asEhrOne.Status);
        Assert.Equal(0, pathsAfterEhrOne);
        Assert.Equal(HttpStatusCode.OK, asEhrTwo.Status);
        Assert.Equal("covered", asEhrTwo.CoverageInfoFor("sr-facet").Covered);
        Assert.All(ehrTwo.FhirAuthorizationHeaders, h => Assert.Equal($"Bearer {EhrToken}", h));
    }

    [Theory]
    [InlineData(302)]
    [InlineData(307)]
    [InlineData(308)]
    public async Task OrderSign_EhrRedirectsTheFetch_RedirectNotFollowedAndTokenStaysHome(int status)
    {
        using var attacker = WireMockServer.Start();
        attacker.Given(Request.Create().UsingAnyMethod()).RespondWith(Response.Create().WithStatusCode(200).WithBody("{}"));
        using var ehr = WireMockServer.Start();
        ehr.Given(Request.Create().WithPath("/fhir/*").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Location", $"{attacker.Url}/fhir/Patient/{CrdTestData.PatientId}"));
        var fhirBase = new Uri($"{ehr.Url}/fhir");
        app.AllowFhirServer(fhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(fhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("conditional", call.CoverageInfoFor("sr-facet").Covered);
        Assert.NotEmpty(ehr.LogEntries);
        Assert.Empty(attacker.LogEntries);
    }

    [Fact]
    public async Task OrderSign_FetchedFromEhr_NoLogLineNamesTheFetchedResource()
    {
        // A patient id no other test uses: any log line holding it came from this fetch.
        var patientId = $"pat-{Guid.NewGuid():N}";
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40, patientId))
            .ServeSearch("Coverage", CoverageSearch(patientId), [CrdTestData.Coverage("MGB-COMMERCIAL", patientId: patientId)]);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign", patientId)
            .DraftOrders(CrdTestData.Order("64493", "sr-facet", patientId: patientId))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Contains($"/fhir/Patient/{patientId}", ehr.RequestedPaths);
        Assert.DoesNotContain(app.App.Logs.Entries, e => e.ToString().Contains(patientId, StringComparison.Ordinal));
    }
}
