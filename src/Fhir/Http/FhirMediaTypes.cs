using Microsoft.Net.Http.Headers;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// The names FHIR gives its formats: in <c>_format</c> (json, xml, or a MIME type), in Accept and in
/// Content-Type. Both the legacy (<c>application/json+fhir</c>) and the plain types are read; we
/// always write <c>application/fhir+json</c> or <c>application/fhir+xml</c>.
/// </summary>
public static class FhirMediaTypes
{
    public const string Json = "application/fhir+json";
    public const string Xml = "application/fhir+xml";

    /// <summary>What the CapabilityStatement lists in <c>format</c>.</summary>
    public static IReadOnlyList<string> Advertised { get; } = ["json", "xml", Json, Xml];

    public static string Of(FhirFormat format) => format == FhirFormat.Xml ? Xml : Json;

    /// <summary>The format a <c>_format</c> value or media type names; null when it names none we speak.</summary>
    public static FhirFormat? FromName(string name) => name.Trim().ToLowerInvariant() switch
    {
        "json" or "application/json" or Json or "application/json+fhir" => FhirFormat.Json,
        "xml" or "text/xml" or "application/xml" or Xml or "application/xml+fhir" => FhirFormat.Xml,
        _ => null,
    };

    /// <summary>The format of a Content-Type header; null when it is missing or not FHIR JSON or XML.</summary>
    public static FhirFormat? FromContentType(string? contentType) =>
        MediaTypeHeaderValue.TryParse(contentType, out var media) && media.MediaType.HasValue ? FromName(media.MediaType.Value) : null;
}
