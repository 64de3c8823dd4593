using System.Text;
using System.Xml;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using SpinePolicy.Fhir;

namespace SpinePolicy.FhirRest.Http;

/// <summary>Reads and writes resources in either wire format, always through the Firely serializers.</summary>
public static class FhirWire
{
    private static readonly BaseFhirXmlSerializer XmlSerializer = new(ModelInfo.ModelInspector);
    private static readonly FhirXmlDeserializer XmlDeserializer = new();

    public static byte[] Serialize(Resource resource, FhirFormat format) => format == FhirFormat.Xml
        ? Encoding.UTF8.GetBytes(XmlSerializer.SerializeToString(resource))
        : FhirJson.SerializeToUtf8Bytes(resource);

    public static string MediaType(FhirFormat format) => format == FhirFormat.Xml ? FhirFormats.XmlMediaType : FhirFormats.JsonMediaType;

    /// <summary>Parses a request body; throws <see cref="FhirInputException"/> with a readable reason.</summary>
    public static Resource Parse(string body, FhirFormat format)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new FhirInputException("The request body is empty; a FHIR resource was expected.");
        }

        if (format == FhirFormat.Json)
        {
            return FhirJson.Parse<Resource>(body);
        }

        try
        {
            return XmlDeserializer.DeserializeResource(body);
        }
        catch (DeserializationFailedException ex)
        {
            var first = ex.Exceptions.FirstOrDefault()?.Message ?? "unknown problem";
            throw new FhirInputException($"The FHIR resource could not be parsed: {first}", ex);
        }
        catch (XmlException ex)
        {
            throw new FhirInputException($"Invalid XML: {ex.Message}", ex);
        }
    }
}
