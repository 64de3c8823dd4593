using System.Net;
using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary><c>Prefer: return=…</c>, one theory over every create and update /fhir serves.</summary>
public abstract partial class FhirConventionsSuite
{
    public static TheoryData<string, string> EveryWriteAndPreference
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var write in new[] { "POST Patient", "PUT Patient", "POST Coverage", "PUT Coverage", "POST Subscription", "PUT Subscription" })
            {
                foreach (var preference in new[] { "minimal", "representation", "OperationOutcome" })
                {
                    data.Add(write, preference);
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EveryWriteAndPreference))]
    public async Task Every_Write_PreferReturnIsHonoured(string write, string preference)
    {
        var (client, request, type) = await ArrangeWriteAsync(write);
        using var _ = client;
        using var __ = request;
        request.Headers.Add("Prefer", "return=" + preference);

        using var response = await client.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{write}: {(int)response.StatusCode} {body}");
        Assert.Equal(write.StartsWith("POST", StringComparison.Ordinal) ? HttpStatusCode.Created : HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.ETag is not null, $"{write}: no ETag");
        if (write.StartsWith("POST", StringComparison.Ordinal))
        {
            Assert.NotNull(response.Headers.Location);
        }

        switch (preference)
        {
            case "minimal":
                Assert.Empty(body);
                Assert.Equal("return=minimal", response.Headers.GetValues("Preference-Applied").Single());
                break;
            case "representation":
                Assert.Equal(type, FhirHttp.ParseAny<Resource>(body, response.Content.Headers.ContentType?.MediaType).TypeName);
                break;
            default:
                var outcome = FhirHttp.ParseAny<OperationOutcome>(body, response.Content.Headers.ContentType?.MediaType);
                Assert.Equal(OperationOutcome.IssueSeverity.Information, outcome.Issue.Single().Severity);
                Assert.Contains(type + "/", outcome.Issue.Single().Diagnostics, StringComparison.Ordinal);
                Assert.Equal("return=OperationOutcome", response.Headers.GetValues("Preference-Applied").Single());
                break;
        }
    }

    /// <summary>A write ready to send (with If-Match on updates), who sends it, and the type it writes.</summary>
    private async Task<(HttpClient Client, HttpRequestMessage Request, string Type)> ArrangeWriteAsync(string write)
    {
        var (method, type) = (write.Split(' ')[0], write.Split(' ')[1]);
        var client = type == "Subscription" ? App.CreateFhirClient() : Client();
        Resource resource = type switch
        {
            "Patient" => FhirData.Patient("Prefer", "Pat", "1971-01-01", memberId: FhirData.Unique("m")),
            "Coverage" => FhirData.Coverage(FhirData.Unique("p"), FhirData.Unique("m")),
            _ => NewSubscription(),
        };
        if (method == "POST")
        {
            return (client, new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir(type)) { Content = FhirHttp.Json(resource) }, type);
        }

        using var created = await client.PostAsync(FhirHttp.Fhir(type), FhirHttp.Json(resource));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var stored = FhirHttp.ParseAny<Resource>(await created.Content.ReadAsStringAsync(), created.Content.Headers.ContentType?.MediaType);
        var request = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"{type}/{stored.Id}")) { Content = FhirHttp.Json(stored) };
        request.Headers.IfMatch.Add(created.Headers.ETag ?? new EntityTagHeaderValue("\"1\"", isWeak: true));
        return (client, request, type);
    }
}
