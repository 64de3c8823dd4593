using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;

namespace SpinePolicy.FhirQuestionnaire.Http;

/// <summary>Reads a FHIR JSON request body into a resource, with a readable error when it is not one.</summary>
public static class FhirRequestReader
{
    public static async Task<Resource> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim();
        if (mediaType is not null && !mediaType.EndsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            throw new DtrRequestException(StatusCodes.Status415UnsupportedMediaType, OperationOutcome.IssueType.NotSupported, $"Content type '{mediaType}' is not supported; send application/fhir+json.");
        }

        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new FhirInputException("The request body is empty; a FHIR resource is expected.");
        }

        return FhirJson.Parse<Resource>(body);
    }
}
