using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.Storage.Tests.Server;

/// <summary>Creates and reads resources through the server's FHIR API, as a client would.</summary>
internal static class FhirApiHelpers
{
    public static async Task<Patient> CreatePatientAsync(HttpClient fhir, string identifier, CancellationToken cancellationToken)
    {
        var patient = new Patient { Active = true, Identifier = [new Identifier("https://payer.example.org/members", identifier)] };
        using var body = new StringContent(FhirJson.Serialize(patient), Encoding.UTF8, "application/fhir+json");
        using var response = await fhir.PostAsync(new Uri("/fhir/Patient", UriKind.Relative), body, cancellationToken);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return FhirJson.Parse<Patient>(await response.Content.ReadAsStringAsync(cancellationToken));
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient fhir, string path, CancellationToken cancellationToken)
    {
        using var response = await fhir.GetAsync(new Uri(path, UriKind.Relative), cancellationToken);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }
}
