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

    /// <summary>
    /// How deep an XML body's elements may nest: as deep as a JSON body may (System.Text.Json's 64
    /// levels, where a JSON body nests at least as deep as the same resource in XML). Firely's XML
    /// deserializer recurses per element without a limit of its own, so a 300 KB Parameters of
    /// 10,000 nested parts overflowed the stack and ended the whole process.
    /// </summary>
    public const int MaxXmlDepth = 64;

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
            RefuseDeepXml(body);
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

    /// <summary>One pass of a plain reader (no DTD, no resolver) before Firely's recursive one: a body nesting past <see cref="MaxXmlDepth"/> is a 400.</summary>
    private static void RefuseDeepXml(string body)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreWhitespace = true };
        using var reader = XmlReader.Create(new StringReader(body), settings);
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.Depth >= MaxXmlDepth)
            {
                throw FhirHttpException.Structure($"The request body nests XML elements more than {MaxXmlDepth} deep (line {((IXmlLineInfo)reader).LineNumber}, position {((IXmlLineInfo)reader).LinePosition}); no FHIR resource this server takes needs that.");
            }
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
