using System.Net;
using System.Text;
using SpinePolicy.TestKit;

namespace SpinePolicy.DtrApp.Tests.Server;

/// <summary>
/// A DTR SMART app served from another origin (an EHR's form filler, the CSIRO renderer) calls the
/// payer's DTR endpoints and Claim/$submit from the browser: the configured origins get CORS,
/// preflight included; other origins and the rest of /fhir get none.
/// </summary>
public sealed class FhirCorsTests(CorsAppFixture fixture) : IClassFixture<CorsAppFixture>
{
    public const string AppOrigin = "https://forms.ehr.test.example";
    private readonly SpinePolicyApp _app = fixture.App;

    public static TheoryData<string, string> BrowserCalls => new()
    {
        { "POST", "/fhir/Questionnaire/$questionnaire-package" },
        { "POST", "/fhir/Questionnaire/$next-question" },
        { "GET", "/fhir/Questionnaire/bvna-097" },
        { "GET", "/fhir/Library/spinepolicy-prepopulation" },
        { "GET", "/fhir/ValueSet/vertebral-level/$expand" },
        { "GET", "/fhir/ValueSet/$expand" },
        { "POST", "/fhir/Claim/$submit" },
        { "GET", "/fhir/metadata" },
    };

    [Theory]
    [MemberData(nameof(BrowserCalls))]
    public async Task Preflight_FromConfiguredOrigin_AllowsMethodAndBearerToken(string method, string path)
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, path);
        request.Headers.Add("Origin", AppOrigin);
        request.Headers.Add("Access-Control-Request-Method", method);
        request.Headers.Add("Access-Control-Request-Headers", "authorization,content-type");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains(method, string.Join(",", response.Headers.GetValues("Access-Control-Allow-Methods")), StringComparison.Ordinal);
        var headers = string.Join(",", response.Headers.GetValues("Access-Control-Allow-Headers")).ToLowerInvariant();
        Assert.Contains("authorization", headers, StringComparison.Ordinal);
        Assert.Contains("content-type", headers, StringComparison.Ordinal);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Credentials"), "bearer tokens only: cookies are never allowed");
    }

    [Fact]
    public async Task Preflight_FromUnknownOrigin_GetsNoCorsGrant()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/fhir/Questionnaire/$questionnaire-package");
        request.Headers.Add("Origin", "https://elsewhere.test.example");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task VertebralLevelExpansion_FromConfiguredOrigin_IsReadableByTheBrowser()
    {
        using var client = _app.CreateFhirClient("system/ValueSet.read");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/ValueSet/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level");
        request.Headers.Add("Origin", AppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("\"L4\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SubmitError_FromConfiguredOrigin_CarriesCorsSoTheAppCanReadTheOutcome()
    {
        using var client = _app.CreateFhirClient("system/Claim.write");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Claim/$submit")
        {
            Content = new StringContent("{\"resourceType\":\"Bundle\",\"type\":\"collection\"}", Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Origin", AppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("OperationOutcome", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task QuestionnaireErrorReport_FromConfiguredOrigin_IsRecordedAndTheAnswerReadable()
    {
        using var client = _app.CreateFhirClient("system/Questionnaire.read");
        const string report = """
            {"resourceType":"Parameters","parameter":[
              {"name":"questionnaire","valueCanonical":"https://spinepolicy.example.org/fhir/Questionnaire/bvna-097|2026.01.0"},
              {"name":"operationOutcome","resource":{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"processing","diagnostics":"CQL failed"}]}}]}
            """;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/fhir/Questionnaire/$log-questionnaire-errors")
        {
            Content = new StringContent(report, Encoding.UTF8, "application/fhir+json"),
        };
        request.Headers.Add("Origin", AppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("recorded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingToken_FromConfiguredOrigin_The401IsReadableAndNamesTheScheme()
    {
        using var client = _app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/fhir/Questionnaire/bvna-097");
        request.Headers.Add("Origin", AppOrigin);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(AppOrigin, response.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.Contains("WWW-Authenticate", string.Join(",", response.Headers.GetValues("Access-Control-Expose-Headers")), StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("/fhir/Patient")]
    [InlineData("/fhir/ClaimResponse")]
    [InlineData("/fhir/QuestionnaireResponse")]
    public async Task OtherFhirRoutes_FromConfiguredOrigin_StayClosed(string path)
    {
        using var client = _app.CreateFhirClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("Origin", AppOrigin);

        using var response = await client.SendAsync(request);

        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task MalformedOrigin_InConfiguration_StopsStartUpNamingIt()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["FhirCors:AllowedOrigins:0"] = "https://forms.ehr.test.example/app/" });

        var error = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        Assert.Contains("FhirCors:AllowedOrigins", error.ToString(), StringComparison.Ordinal);
    }
}

/// <summary>One server, with one browser origin allowed, shared by the read-only CORS tests.</summary>
public sealed class CorsAppFixture : IAsyncLifetime
{
    public SpinePolicyApp App { get; } = new(new Dictionary<string, string?> { ["FhirCors:AllowedOrigins:0"] = FhirCorsTests.AppOrigin });

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await App.DisposeAsync();
}
