using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>HTTP helpers for FHIR calls: bodies through the Firely serializer, tokens from TestTokens.</summary>
public static class FhirHttp
{
    public static HttpClient Client(SpinePolicy.TestKit.SpinePolicyApp app, string clientId, params string[] scopes)
    {
        var client = app.CreateClient();
        var token = TestTokens.MintFhirToken(scopes.Length > 0 ? scopes : ["system/*.*"], clientId);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>This payer's back office: maintains the member roster, reads everything.</summary>
    public static HttpClient Admin(SpinePolicy.TestKit.SpinePolicyApp app, params string[] scopes) =>
        app.CreateBackOfficeClient(scopes);

    /// <summary>Another payer (payer-to-payer), under its own client id from the partner authorization server.</summary>
    public static HttpClient Partner(SpinePolicy.TestKit.SpinePolicyApp app, string clientId, params string[] scopes) =>
        app.CreateFhirClientAs(clientId, TestTokens.PartnerIssuer, scopes);

    public static StringContent Json(Resource resource) =>
        new(FhirJson.Serialize(resource), Encoding.UTF8, "application/fhir+json");

    public static async Task<T> ReadAsync<T>(HttpResponseMessage response) where T : Resource
    {
        var body = await response.Content.ReadAsStringAsync();
        try
        {
            return FhirJson.Parse<T>(body);
        }
        catch (SpinePolicy.Fhir.Http.FhirHttpException ex)
        {
            throw new InvalidOperationException($"HTTP {(int)response.StatusCode}: expected a {typeof(T).Name}, got: {body}", ex);
        }
    }

    /// <summary>A resource in either wire format, by the answer's media type (XML through Firely's XML parser).</summary>
    public static T ParseAny<T>(string body, string? mediaType) where T : Resource =>
        mediaType is not null && mediaType.EndsWith("xml", StringComparison.Ordinal)
            ? (T)new FhirXmlDeserializer().DeserializeResource(body)
            : FhirJson.Parse<T>(body);

    /// <summary>The OperationOutcome of an error response (also proves the error is FHIR, not a stack trace).</summary>
    public static async Task<OperationOutcome> OutcomeAsync(HttpResponseMessage response) => await ReadAsync<OperationOutcome>(response);

    public static async Task<T> CreateAsync<T>(HttpClient client, T resource) where T : Resource
    {
        using var response = await client.PostAsync(Fhir(resource.TypeName), Json(resource));
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Create {resource.TypeName} failed: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        return await ReadAsync<T>(response);
    }

    public static Uri Fhir(string relative) => new("/fhir/" + relative.TrimStart('/'), UriKind.Relative);
}
