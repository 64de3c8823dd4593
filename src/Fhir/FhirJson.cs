using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.Fhir;

/// <summary>
/// The one place FHIR JSON options are made. Every slice parses and writes FHIR through these, so
/// that what we accept and what we emit follow the same rules.
/// </summary>
public static class FhirJson
{
    /// <summary>Strict-enough parsing for input: unknown elements and bad values are errors.</summary>
    public static JsonSerializerOptions Options { get; } = new JsonSerializerOptions().ForFhir(ModelInfo.ModelInspector);

    /// <summary>
    /// Reading back what this server stored. It was parsed strictly and written by Firely, so
    /// Firely's element validators (cardinality, primitive patterns) are not run again: they were
    /// two thirds of a parse's time and allocations (a 13 KB PAS Bundle: 455 µs and 533 KB with
    /// them, 158 µs and 179 KB without). Recoverable, so that a later SDK's stricter rule can never
    /// make stored data unreadable.
    /// </summary>
    public static JsonSerializerOptions StoredOptions { get; } = new JsonSerializerOptions()
        .ForFhir(ModelInfo.ModelInspector, new FhirJsonConverterOptions { Validator = null })
        .UsingMode(DeserializationMode.Recoverable);

    /// <summary>A resource this server stored (see <see cref="StoredOptions"/>); never for input.</summary>
    public static T ParseStored<T>(string json) where T : Resource =>
        JsonSerializer.Deserialize<Resource>(json, StoredOptions) as T
            ?? throw new InvalidOperationException($"Stored JSON does not hold a {typeof(T).Name}.");

    public static string Serialize(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Options);

    public static byte[] SerializeToUtf8Bytes(Resource resource) => JsonSerializer.SerializeToUtf8Bytes(resource, resource.GetType(), Options);

    /// <summary>Parses a resource; throws a 400 <see cref="FhirHttpException"/> with a readable message.</summary>
    public static T Parse<T>(string json) where T : Resource => Parse<T>(System.Text.Encoding.UTF8.GetBytes(json));

    /// <summary>Parses a resource from UTF-8 JSON; throws a 400 <see cref="FhirHttpException"/> with a readable message.</summary>
    public static T Parse<T>(ReadOnlySpan<byte> utf8Json) where T : Resource
    {
        Resource? resource;
        try
        {
            resource = JsonSerializer.Deserialize<Resource>(utf8Json, Options);
        }
        catch (DeserializationFailedException ex)
        {
            throw Rejection(ex);
        }
        catch (JsonException ex)
        {
            throw FhirHttpException.Structure(InvalidJson(ex), ex);
        }
        catch (Exception ex) when (IsParserRejection(ex))
        {
            throw FhirHttpException.Structure($"The FHIR resource could not be parsed: {ex.Message}", ex);
        }

        return resource as T ?? throw FhirHttpException.BadRequest($"Expected a {typeof(T).Name} resource but found {resource?.TypeName ?? "nothing"}.");
    }

    /// <summary>Parses a resource from an already-read JSON element; throws a 400 <see cref="FhirHttpException"/> with a readable message.</summary>
    public static Resource ParseElement(JsonElement element)
    {
        try
        {
            return element.Deserialize<Resource>(Options)
                ?? throw FhirHttpException.Structure("Expected a FHIR resource but found null.");
        }
        catch (DeserializationFailedException ex)
        {
            throw Rejection(ex);
        }
        catch (JsonException ex)
        {
            throw FhirHttpException.Structure(InvalidJson(ex), ex);
        }
        catch (Exception ex) when (IsParserRejection(ex))
        {
            throw FhirHttpException.Structure($"The FHIR resource could not be parsed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// One complex element of a resource (a CodeableConcept, a Period, an Extension, a backbone element …) parsed
    /// strictly on its own, for readers that take a few elements of a resource and leave the rest
    /// unread. Breaking FHIR's rules is a 400 naming <paramref name="path"/>.
    /// </summary>
    public static T ParseDatatype<T>(JsonElement element, string path) where T : Element
    {
        try
        {
            return element.Deserialize<T>(Options) ?? throw FhirHttpException.Structure($"{path} must be a JSON object, not null.");
        }
        catch (DeserializationFailedException ex)
        {
            var first = ex.Exceptions.FirstOrDefault();
            var at = (first as Hl7.Fhir.Utility.ExtendedCodedException)?.InstancePath is { Length: > 0 } inner && inner != "$this" ? $"{path}.{inner}" : path;
            throw new FhirHttpException(Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, Hl7.Fhir.Model.OperationOutcome.IssueType.Structure,
                $"{path} is not a valid FHIR R4 {typeof(T).Name}: {first?.Message ?? ex.Message}", at, innerException: ex);
        }
        catch (Exception ex) when (ex is JsonException || IsParserRejection(ex))
        {
            throw FhirHttpException.Structure($"{path} must be a JSON object holding a FHIR R4 {typeof(T).Name}.", ex);
        }
    }

    /// <summary>
    /// Exceptions the Firely deserializer throws for input shapes it does not report as
    /// DeserializationFailedException (e.g. a JSON array where a resource belongs).
    /// </summary>
    private static bool IsParserRejection(Exception ex) =>
        ex is InvalidOperationException or FormatException or ArgumentException or NotSupportedException or OverflowException or InvalidCastException
            or Hl7.Fhir.Validation.CodedValidationException or System.ComponentModel.DataAnnotations.ValidationException;

    /// <summary>Where the JSON broke, by line and byte, with System.Text.Json's reason (without its path suffix).</summary>
    internal static string InvalidJson(JsonException ex)
    {
        var reason = ex.Message;
        var cut = reason.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut > 0)
        {
            reason = reason[..cut];
        }

        return ex.LineNumber is { } line && ex.BytePositionInLine is { } position
            ? $"The request body is not valid JSON (line {line + 1}, byte {position + 1}): {reason}"
            : $"The request body is not valid JSON: {reason}";
    }

    /// <summary>
    /// The first problem Firely found, worded for the caller, with the element's path as the
    /// issue's expression. An empty array gets its own words: FHIR JSON leaves such an element out.
    /// </summary>
    private static FhirHttpException Rejection(DeserializationFailedException ex)
    {
        // The most severe problem first: "Unknown resource type" says more than "empty object".
        var first = ex.Exceptions
            .OrderBy(e => e is Hl7.Fhir.Utility.ExtendedCodedException { IssueSeverity: Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Warning or Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Information } ? 1 : 0)
            .FirstOrDefault();
        if (first is null)
        {
            return FhirHttpException.Structure("The FHIR resource could not be parsed.", ex);
        }

        var coded = first as Hl7.Fhir.Utility.ExtendedCodedException;
        var message = coded?.ErrorCode == FhirJsonException.ARRAYS_CANNOT_BE_EMPTY_CODE && coded.InstancePath is { } path
            ? $"{path} is an empty array: it has no entries, and FHIR JSON leaves out an element that has none."
            : $"The FHIR resource could not be parsed: {first.Message}";
        return new FhirHttpException(Microsoft.AspNetCore.Http.StatusCodes.Status400BadRequest, Hl7.Fhir.Model.OperationOutcome.IssueType.Structure, message, coded?.InstancePath, innerException: ex);
    }
}
