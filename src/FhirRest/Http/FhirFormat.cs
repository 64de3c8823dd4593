using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace SpinePolicy.FhirRest.Http;

/// <summary>The two FHIR wire formats we speak.</summary>
public enum FhirFormat
{
    Json,
    Xml,
}

/// <summary>Content negotiation: <c>_format</c> wins over Accept; JSON unless XML is asked for.</summary>
public static class FhirFormats
{
    public const string JsonMediaType = "application/fhir+json";
    public const string XmlMediaType = "application/fhir+xml";

    /// <summary>The response format; null when <c>_format</c> names something we do not speak.</summary>
    public static FhirFormat? ForResponse(HttpRequest request)
    {
        var format = request.Query["_format"].ToString();
        if (!string.IsNullOrEmpty(format))
        {
            return FromName(format);
        }

        if (MediaTypeHeaderValue.TryParseList([.. request.Headers.Accept.OfType<string>()], out var accepted))
        {
            foreach (var media in accepted.OrderByDescending(m => m.Quality ?? 1.0))
            {
                if (FromName(media.MediaType.Value ?? "") is { } known)
                {
                    return known;
                }
            }
        }

        return FhirFormat.Json;
    }

    /// <summary>The request body's format from Content-Type; null when it is not FHIR JSON or XML.</summary>
    public static FhirFormat? ForRequestBody(HttpRequest request) =>
        MediaTypeHeaderValue.TryParse(request.ContentType, out var media) ? FromName(media.MediaType.Value ?? "") : null;

    private static FhirFormat? FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "json" or "application/json" or JsonMediaType or "application/json+fhir" => FhirFormat.Json,
        "xml" or "text/xml" or "application/xml" or XmlMediaType or "application/xml+fhir" => FhirFormat.Xml,
        _ => null,
    };
}
