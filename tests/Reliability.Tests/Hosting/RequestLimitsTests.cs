using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Reliability.Tests.Hosting;

public sealed class RequestLimitsTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Fact]
    public async Task CdsHooks_BodyOverOneMegabyte_Rejected413WithCdsError()
    {
        using var client = fixture.App.CreateClient();
        using var content = Json(new string('x', (1 << 20) + 10));

        using var response = await client.PostAsync("/cds-services/order-sign-crd", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("payload-too-large", error.RootElement.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.RootElement.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Submit_TenMegabyteBody_Rejected413WithOperationOutcome()
    {
        using var client = fixture.App.CreateFhirClient();
        using var content = Json(new string('x', 10 << 20), "application/fhir+json");

        using var response = await client.PostAsync("/fhir/Claim/$submit", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var outcome = FhirJson.Parse<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Equal(OperationOutcome.IssueType.TooCostly, outcome.Issue.Single().Code);
    }

    [Fact]
    public async Task Fhir_ChunkedBodyOverLimitWithoutLength_Rejected413()
    {
        using var client = fixture.App.CreateFhirClient();
        using var content = new StreamContent(new MemoryStream(new byte[3 << 20]));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json");

        using var response = await client.PostAsync("/fhir/Patient", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("OperationOutcome", FhirJson.Parse<OperationOutcome>(await response.Content.ReadAsStringAsync()).TypeName);
    }

    [Theory]
    [InlineData("/cds-services/order-sign-crd", "application/xml")]
    [InlineData("/cds-services/order-sign-crd", "text/plain")]
    [InlineData("/fhir/Claim/$submit", "application/x-www-form-urlencoded")]
    [InlineData("/fhir/Patient/$member-match", "text/plain")]
    public async Task Api_BodyInUnsupportedFormat_Rejected415WithMessage(string path, string contentType)
    {
        using var client = fixture.App.CreateFhirClient();
        using var content = new ByteArrayContent("<Parameters xmlns=\"http://hl7.org/fhir\"/>"u8.ToArray());
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);

        using var response = await client.PostAsync(path, content);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Contains("not accepted", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CdsHooks_ConfiguredSmallerLimit_AppliesToThatLimit()
    {
        await using var app = new SpinePolicyApp(new Dictionary<string, string?> { ["RequestLimits:CdsHooksMaxBodyBytes"] = "2048" });
        using var client = app.CreateClient();
        using var content = Json(new string('x', 3000));

        using var response = await client.PostAsync("/cds-services/order-sign-crd", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    private static ByteArrayContent Json(string padding, string mediaType = "application/json")
    {
        var content = new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(new { hook = "order-sign", padding }));
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return content;
    }
}
