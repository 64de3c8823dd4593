using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
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

        try
        {
            return FhirJson.Parse<T>(json);
        }
        catch (FhirInputException) when (typeof(T) == typeof(Bundle) && IsEmptyBundle(json))
        {
            // The strict parser refuses "entry": [] as malformed JSON; name the real problem instead.
            throw new PasRequestException("The Bundle has no entries; a PAS Bundle starts with the Claim.", "Bundle.entry", OperationOutcome.IssueType.Required);
        }
    }

    private static bool IsEmptyBundle(string json)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            var root = document.RootElement;
            return root.ValueKind == System.Text.Json.JsonValueKind.Object
                && root.TryGetProperty("resourceType", out var type) && type.ValueEquals("Bundle")
                && (!root.TryGetProperty("entry", out var entry) || (entry.ValueKind == System.Text.Json.JsonValueKind.Array && entry.GetArrayLength() == 0));
        }
        catch (System.Text.Json.JsonException)
        {
            return false;
        }
    }

    /// <summary>The configured public FHIR base, for fullUrls in what we answer (never the Host header).</summary>
    public static string FhirBase(HttpRequest request) => PublicEndpoints.Of(request.HttpContext).FhirBase;
}
