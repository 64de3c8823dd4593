using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Reads and writes resources in either wire format, always through the Firely serializers. A
/// <see cref="SerializationFilter"/> factory (for <c>_summary</c> and <c>_elements</c>) goes to
/// Firely's own filtering serializers; without one, JSON goes through <see cref="FhirJson"/>, with
/// the <see cref="SerializedOnce"/> resources an answer carries spliced in (<see cref="SplicedJson"/>).
/// </summary>
public static class FhirWire
{
    private static readonly BaseFhirJsonSerializer JsonSerializerWithFilters = new(ModelInfo.ModelInspector);
    private static readonly BaseFhirXmlSerializer XmlSerializer = new(ModelInfo.ModelInspector);
    private static readonly FhirXmlDeserializer XmlDeserializer = new();

    /// <returns>The answer's bytes, in consecutive pieces; they may be shared, so they are only ever read.</returns>
    public static IReadOnlyList<ReadOnlyMemory<byte>> SerializeInPieces(Resource resource, FhirFormat format, Func<SerializationFilter>? filter = null)
    {
        if (format == FhirFormat.Xml)
        {
            return [XmlSerializer.SerializeToBytes(resource, pretty: false, filter)];
        }

        return filter is null ? SplicedJson.Serialize(resource) : [JsonSerializerWithFilters.SerializeToBytes(resource, pretty: false, filter)];
    }

    /// <summary>
    /// Parses a request body. Every refusal is a 400 <see cref="FhirHttpException"/> that says
    /// what is wrong (empty, not UTF-8, not JSON/XML, not a FHIR resource, which element is bad).
    /// </summary>
    public static Resource Parse(ReadOnlySpan<byte> body, FhirFormat format)
    {
        if (IsBlank(body))
        {
            throw FhirHttpException.Structure("The request body is empty; a FHIR resource was expected.");
        }

        if (!Utf8.IsValid(body))
        {
            throw FhirHttpException.Structure("The request body is not valid UTF-8.");
        }

        if (format == FhirFormat.Xml)
        {
            return ParseXml(Encoding.UTF8.GetString(body));
        }

        FhirJsonInputRules.Check(body);
        return FhirJson.Parse<Resource>(body);
    }

    /// <summary>A JSON body as a document, refused as <see cref="Parse"/> refuses it (empty, not UTF-8, not JSON).</summary>
    public static JsonDocument ParseJsonDocument(ReadOnlyMemory<byte> body)
    {
        if (IsBlank(body.Span))
        {
            throw FhirHttpException.Structure("The request body is empty; a FHIR resource was expected.");
        }

        if (!Utf8.IsValid(body.Span))
        {
            throw FhirHttpException.Structure("The request body is not valid UTF-8.");
        }

        FhirJsonInputRules.Check(body.Span);
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException ex)
        {
            throw FhirHttpException.Structure(FhirJson.InvalidJson(ex), ex);
        }
    }

    private static Resource ParseXml(string body)
    {
        try
        {
            return XmlDeserializer.DeserializeResource(body);
        }
        catch (DeserializationFailedException ex)
        {
            var first = ex.Exceptions.FirstOrDefault()?.Message ?? "unknown problem";
            throw FhirHttpException.Structure($"The FHIR resource could not be parsed: {first}", ex);
        }
        catch (XmlException ex)
        {
            throw FhirHttpException.Structure($"The request body is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}).", ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or ArgumentException or JsonException)
        {
            throw FhirHttpException.Structure($"The FHIR resource could not be parsed: {ex.Message}", ex);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
