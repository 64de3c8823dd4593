using System.Text;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.FhirRest.Http;

/// <summary>Reads a FHIR resource from a request body, refusing what is not FHIR JSON or XML.</summary>
public static class FhirRequestBody
{
    public static async Task<Resource> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var format = FhirFormats.ForRequestBody(request)
            ?? throw FhirHttpException.NotSupported(StatusCodes.Status415UnsupportedMediaType,
                "Content-Type must be application/fhir+json or application/fhir+xml.");

        string body;
        try
        {
            using var reader = new StreamReader(request.Body, new UTF8Encoding(false, throwOnInvalidBytes: true));
            body = await reader.ReadToEndAsync(cancellationToken);
        }
        catch (DecoderFallbackException)
        {
            throw FhirHttpException.BadRequest("The request body is not valid UTF-8.");
        }

        return FhirWire.Parse(body, format);
    }

    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : Resource =>
        await ReadAsync(request, cancellationToken) as T
        ?? throw FhirHttpException.BadRequest($"The request body must be a {typeof(T).Name} resource.");
}
