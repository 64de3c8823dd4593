using System.Net;
using System.Text.Json;
using SpinePolicy.CdsHooks.Tests.Support;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>GET /cds-services: the six CRD services with prefetch templates and configuration options; CORS as CDS Hooks asks.</summary>
public sealed class DiscoveryTests(CrdApp app) : IClassFixture<CrdApp>
{
    private async Task<JsonElement> DiscoverAsync()
    {
        using var response = await app.Client.GetAsync("/cds-services");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Discovery_ListsTheSixCrdServicesWithTheirHooks()
    {
        var services = (await DiscoverAsync()).GetProperty("services").EnumerateArray().ToList();

        var pairs = services.Select(s => (s.GetProperty("id").GetString(), s.GetProperty("hook").GetString())).OrderBy(p => p.Item1).ToList();
        Assert.Equal(
            [
                ("appointment-book-crd", "appointment-book"), ("encounter-discharge-crd", "encounter-discharge"), ("encounter-start-crd", "encounter-start"),
                ("order-dispatch-crd", "order-dispatch"), ("order-select-crd", "order-select"), ("order-sign-crd", "order-sign"),
            ],
            pairs);
        Assert.All(services, s =>
        {
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("title").GetString()));
            Assert.False(string.IsNullOrWhiteSpace(s.GetProperty("description").GetString()));
        });
    }

    [Fact]
    public async Task Discovery_EveryServicePrefetchesPatientAndActiveCoverage()
    {
        var services = (await DiscoverAsync()).GetProperty("services").EnumerateArray();

        Assert.All(services, s =>
        {
            var prefetch = s.GetProperty("prefetch");
            Assert.Equal("Patient/{{context.patientId}}", prefetch.GetProperty("patient").GetString());
            Assert.Equal("Coverage?patient={{context.patientId}}&status=active", prefetch.GetProperty("coverage").GetString());
        });
    }

    [Fact]
    public async Task Discovery_OrderSignPrefetchesTheDraftServiceRequestsWithClinicians()
    {
        var orderSign = (await DiscoverAsync()).GetProperty("services").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "order-sign-crd");

        var template = orderSign.GetProperty("prefetch").GetProperty("serviceRequestBundle").GetString()!;
        Assert.StartsWith("ServiceRequest?_id={{context.draftOrders.ServiceRequest.id}}", template, StringComparison.Ordinal);
        Assert.Contains("_include=ServiceRequest:requester", template, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Discovery_AdvertisesConfigurationOptionsPerCardTypeAndMaxCards()
    {
        var services = (await DiscoverAsync()).GetProperty("services").EnumerateArray();

        Assert.All(services, s =>
        {
            var options = s.GetProperty("extension").GetProperty("davinci-crd.configuration-options").EnumerateArray().ToList();
            Assert.Equal(["coverage-info", "guideline", "off-guideline", "max-cards"], options.Select(o => o.GetProperty("code").GetString()));
            Assert.All(options, o =>
            {
                var type = o.GetProperty("type").GetString();
                Assert.Contains(type, new[] { "boolean", "integer" });
                Assert.False(string.IsNullOrWhiteSpace(o.GetProperty("name").GetString()));
                Assert.False(string.IsNullOrWhiteSpace(o.GetProperty("description").GetString()));
                Assert.Equal(type == "boolean" ? JsonValueKind.True : JsonValueKind.Number, o.GetProperty("default").ValueKind);
            });
        });
    }

    [Fact]
    public async Task Discovery_EveryService_DeclaresTheCrdVersionItSpeaks()
    {
        var services = (await DiscoverAsync()).GetProperty("services").EnumerateArray();

        // CRD's version extension carries major.minor only: "2.0" for STU 2.0.1.
        Assert.All(services, s => Assert.Equal(["2.0"], s.GetProperty("extension").GetProperty("davinci-crd.version").EnumerateArray().Select(v => v.GetString())));
    }

    [Theory]
    [InlineData("2.0", 200)]
    [InlineData("2.2", 422)]
    public async Task OrderSign_RequestedCrdVersion_IsAnsweredOnlyWhenSpoken(string requested, int status)
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-1"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();
        body["extension"] = new System.Text.Json.Nodes.JsonObject { ["davinci-crd.requestedVersion"] = requested };

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(status, (int)call.Status);
    }

    [Fact]
    public async Task Discovery_FromAnyOrigin_AllowsCors()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/cds-services");
        request.Headers.Add("Origin", "https://sandbox.cds-hooks.org");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
    }

    [Fact]
    public async Task ServiceCall_Preflight_AllowsPostWithAuthorizationAndContentType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Options, "/cds-services/order-sign-crd");
        request.Headers.Add("Origin", "https://ehr.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal("*", Assert.Single(response.Headers.GetValues("Access-Control-Allow-Origin")));
        Assert.Contains("POST", string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        var headers = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToUpperInvariant();
        Assert.Contains("AUTHORIZATION", headers, StringComparison.Ordinal);
        Assert.Contains("CONTENT-TYPE", headers, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OtherEndpoints_FromAnyOrigin_GetNoCorsHeaders()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/healthz");
        request.Headers.Add("Origin", "https://sandbox.cds-hooks.org");

        using var response = await app.Client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }
}
