using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace SpinePolicy.Fhir;

/// <summary>
/// The one place FHIR JSON options are made. Every slice parses and writes FHIR through these, so
/// that what we accept and what we emit follow the same rules.
/// </summary>
public static class FhirJson
{
    /// <summary>Strict-enough parsing for input: unknown elements and bad values are errors.</summary>
    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>Lenient parsing for what we merely pass through or read a few fields from.</summary>
    public static JsonSerializerOptions LenientOptions { get; } = new JsonSerializerOptions()
        .ForFhir(ModelInfo.ModelInspector)
        .UsingMode(DeserializationMode.Recoverable);

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    public static byte[] SerializeToUtf8Bytes(Resource resource) => JsonSerializer.SerializeToUtf8Bytes(resource, resource.GetType(), Options);

    /// <summary>Parses a resource; throws <see cref="FhirInputException"/> with a readable message.</summary>
    public static T Parse<T>(string json) where T : Resource
    {
        Resource? resource;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(json, Options);
        }
        catch (DeserializationFailedException ex)
        {
            throw new FhirInputException(FirstProblem(ex), ex);
        }
        catch (JsonException ex)
        {
            throw new FhirInputException($"Invalid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (IsParserRejection(ex))
        {
            throw new FhirInputException($"The FHIR resource could not be parsed: {ex.Message}", ex);
        }

        return resource as T ?? throw new FhirInputException($"Expected a {typeof(T).Name} resource but found {resource?.TypeName ?? "nothing"}.");
    }

    /// <summary>Parses a resource from an already-read JSON element (e.g. inside a CDS Hooks request).</summary>
    public static Resource ParseElement(JsonElement element, bool lenient = false)
    {
        try
        {
            return element.Deserialize<Resource>(lenient ? LenientOptions : Options)
                ?? throw new FhirInputException("Expected a FHIR resource but found null.");
        }
        catch (DeserializationFailedException ex)
        {
            if (lenient && ex.PartialResult is Resource partial)
            {
                return partial;
            }

            throw new FhirInputException(FirstProblem(ex), ex);
        }
        catch (JsonException ex)
        {
            throw new FhirInputException($"Invalid FHIR JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (IsParserRejection(ex))
        {
            throw new FhirInputException($"The FHIR resource could not be parsed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Exceptions the Firely deserializer throws for input shapes it does not report as
    /// DeserializationFailedException (e.g. a JSON array where a resource belongs).
    /// </summary>
    private static bool IsParserRejection(Exception ex) =>
        ex is InvalidOperationException or FormatException or ArgumentException or NotSupportedException or OverflowException or InvalidCastException
            or Hl7.Fhir.Validation.CodedValidationException or System.ComponentModel.DataAnnotations.ValidationException;

    private static string FirstProblem(DeserializationFailedException ex)
    {
        var first = ex.Exceptions.FirstOrDefault();
        return first is null ? "The FHIR resource could not be parsed." : $"The FHIR resource could not be parsed: {first.Message}";
    }
}
