using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>Prefer: return=… on creates and updates, and POST ValueSet/$expand.</summary>
public abstract partial class FhirConventionsSuite
{
    [Fact]
    public async Task Prefer_ReturnMinimal_CreateAnswersHeadersOnly()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("Minimal", "Mo", "1960-01-01")) };
        request.Headers.Add("Prefer", "return=minimal");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        Assert.NotNull(response.Headers.Location);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        using var read = await client.GetAsync(new Uri(response.Headers.Location!.PathAndQuery, UriKind.Relative));
        Assert.Equal("Minimal", (await FhirHttp.ReadAsync<Patient>(read)).Name[0].Family);
    }

    [Fact]
    public async Task Prefer_ReturnOperationOutcome_UpdateAnswersAnOutcome()
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Outcome", "Ola", "1961-01-01"));
        created.Gender = AdministrativeGender.Other;
        using var request = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) };
        request.Headers.Add("Prefer", "return=OperationOutcome");
        request.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"2\"", response.Headers.ETag?.ToString());
        var outcome = await FhirHttp.OutcomeAsync(response);
        Assert.Equal(OperationOutcome.IssueSeverity.Information, outcome.Issue.Single().Severity);
        Assert.Contains($"Patient/{created.Id}", outcome.Issue.Single().Diagnostics, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("return=representation")]
    [InlineData("respond-async")]
    public async Task Prefer_RepresentationOrUnknown_CreateAnswersTheResource(string prefer)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("Whole", "Wim", "1962-01-01")) };
        request.Headers.Add("Prefer", prefer);

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal("Whole", (await FhirHttp.ReadAsync<Patient>(response)).Name[0].Family);
    }

    [Fact]
    public async Task Expand_PostByUrlOrInline_AnswersTheExpansion()
    {
        using var client = Client();
        var byUrl = new Parameters();
        byUrl.Parameter.Add(new Parameters.ParameterComponent { Name = "url", Value = new FhirUri(VertebralLevelUrl) });
        using var read = await client.GetAsync(FhirHttp.Fhir("ValueSet/vertebral-level"));
        var inline = new Parameters();
        inline.Parameter.Add(new Parameters.ParameterComponent { Name = "valueSet", Resource = await FhirHttp.ReadAsync<ValueSet>(read) });

        using var fromUrl = await client.PostAsync(FhirHttp.Fhir("ValueSet/$expand"), FhirHttp.Json(byUrl));
        using var fromInline = await client.PostAsync(FhirHttp.Fhir("ValueSet/$expand"), FhirHttp.Json(inline));
        using var fromGet = await client.GetAsync(FhirHttp.Fhir($"ValueSet/$expand?url={Uri.EscapeDataString(VertebralLevelUrl)}"));

        var codes = (await FhirHttp.ReadAsync<ValueSet>(fromGet)).Expansion!.Contains.Select(c => c.Code).ToList();
        Assert.NotEmpty(codes);
        Assert.Equal(codes, (await FhirHttp.ReadAsync<ValueSet>(fromUrl)).Expansion!.Contains.Select(c => c.Code));
        Assert.Equal(codes, (await FhirHttp.ReadAsync<ValueSet>(fromInline)).Expansion!.Contains.Select(c => c.Code));
    }

    [Theory]
    [InlineData("ValueSet/$expand", HttpStatusCode.BadRequest)]
    [InlineData("ValueSet/$expand?url=https://elsewhere.example/ValueSet/x", HttpStatusCode.NotFound)]
    [InlineData("ValueSet/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level&filter=L4", HttpStatusCode.BadRequest)]
    public async Task Expand_BadRequest_Is4xxOutcome(string relative, HttpStatusCode status)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        await RefusalAsync(response, status);
    }
}
