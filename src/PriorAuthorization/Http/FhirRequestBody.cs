using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Http;

/// <summary>Reads a FHIR resource of an expected type from a request body.</summary>
public static class FhirRequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : Resource
    {
        using var reader = new StreamReader(request.Body);
        var json = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(json))
        {
            throw new PasRequestException($"The request body is empty; a {typeof(T).Name} is expected.", null, OperationOutcome.IssueType.Required);
        }

        return FhirJson.Parse<T>(json);
    }

    /// <summary>The FHIR base this request came in on, for fullUrls in what we answer.</summary>
    public static string FhirBase(HttpRequest request) => $"{request.Scheme}://{request.Host}{request.PathBase}/fhir";
}
