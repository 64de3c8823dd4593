using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>FHIR over the test server's HTTP: what a DTR client sends and gets back.</summary>
public static class FhirHttp
{
    public sealed record Reply(HttpStatusCode Status, string? ContentType, string Body)
    {
        public Resource Resource => FhirJson.Parse<Resource>(Body);

        public T As<T>() where T : Resource => Assert.IsType<T>(Resource);
    }

    public static Task<Reply> PostAsync(HttpClient client, string path, Resource resource) =>
        PostRawAsync(client, path, FhirJson.Serialize(resource));

    public static async Task<Reply> PostRawAsync(HttpClient client, string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/fhir+json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }

    public static async Task<Reply> GetAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        return new Reply(response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync());
    }
}
