using System.Text.Json;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;

namespace SpinePolicy.Fhir.CoverageInformation;

/// <summary>
/// Writes a <see cref="CoverageAnswer"/> as the CRD 2.0.1 ext-coverage-information extension: the one
/// builder for CRD's system actions and DTR's completed responses.
/// </summary>
public static class CoverageInformationExtension
{
    public const string Url = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/ext-coverage-information";
    public const string CrdSystem = "http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp";
    public const string CptSystem = "http://www.ama-assn.org/go/cpt";

    /// <summary>info-needed "OTH" (v3-NullFlavor in the informationNeeded value set): something other than performer/location/timeframe.</summary>
    public const string InfoNeededOther = "OTH";

    public static Extension Build(CoverageAnswer answer)
    {
        var extension = new Extension { Url = Url };
        extension.AddExtension("coverage", answer.Coverage);
        extension.AddExtension("covered", new Code(answer.Covered));
        if (answer.PaNeeded is { } paNeeded)
        {
            extension.AddExtension("pa-needed", new Code(paNeeded));
        }

        if (answer.DocNeeded is { } docNeeded)
        {
            extension.AddExtension("doc-needed", new Code(docNeeded));
            if (answer.DocPurpose is { } purpose)
            {
                extension.AddExtension("doc-purpose", new Code(purpose));
            }
        }

        foreach (var info in answer.InfoNeeded)
        {
            extension.AddExtension("info-needed", new Code(info));
        }

        if (answer.CptCode is { } code)
        {
            extension.AddExtension("billingCode", new Coding(CptSystem, code, answer.CptDisplay));
        }

        foreach (var reason in answer.Reasons)
        {
            extension.AddExtension("reason", new CodeableConcept { Text = reason });
        }

        // crd-ci-q1: a questionnaire only where documentation is needed.
        if (answer.DocNeeded is not null && answer.Questionnaire is { } questionnaire)
        {
            extension.AddExtension("questionnaire", new Canonical(questionnaire));
        }

        extension.AddExtension("date", new Date(answer.Date.Year, answer.Date.Month, answer.Date.Day));
        extension.AddExtension("coverage-assertion-id", new FhirString(answer.AssertionId));
        return extension;
    }

    /// <summary>
    /// Writes the resource's JSON as the EHR sent it with <paramref name="annotations"/> added to its
    /// <c>extension</c> array (created at the end when it has none), and without the
    /// coverage-information this payer put on it earlier for the same coverage: the new assertion
    /// supersedes it; another payer's annotations stay. Every other member is copied as it came.
    /// </summary>
    /// <remarks>
    /// The update system action returns that JSON rather than a Firely round trip of the resource,
    /// and it is written in one pass: no mutable copy of the order, no second parse of it.
    /// </remarks>
    public static void WriteAnnotated(Utf8JsonWriter writer, JsonElement resource, string? coverageReference, IEnumerable<Extension> annotations)
    {
        writer.WriteStartObject();
        var annotated = false;
        foreach (var member in resource.EnumerateObject())
        {
            if (annotated || !member.NameEquals("extension"))
            {
                member.WriteTo(writer);
                continue;
            }

            writer.WriteStartArray(member.Name);
            if (member.Value.ValueKind == JsonValueKind.Array)
            {
                foreach (var extension in member.Value.EnumerateArray())
                {
                    if (coverageReference is null || !IsOursFor(extension, coverageReference))
                    {
                        extension.WriteTo(writer);
                    }
                }
            }

            WriteAll(writer, annotations);
            writer.WriteEndArray();
            annotated = true;
        }

        if (!annotated)
        {
            writer.WriteStartArray("extension");
            WriteAll(writer, annotations);
            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static void WriteAll(Utf8JsonWriter writer, IEnumerable<Extension> annotations)
    {
        foreach (var annotation in annotations)
        {
            ElementSerializer.Serialize(annotation, writer);
        }
    }

    private static readonly BaseFhirJsonSerializer ElementSerializer = new(ModelInfo.ModelInspector);

    private static bool IsOursFor(JsonElement extension, string coverageReference) =>
        extension.ValueKind == JsonValueKind.Object
        && Text(extension, "url") == Url
        && extension.TryGetProperty("extension", out var parts)
        && parts.ValueKind == JsonValueKind.Array
        && parts.EnumerateArray().Any(part =>
            part.ValueKind == JsonValueKind.Object
            && Text(part, "url") == "coverage"
            && part.TryGetProperty("valueReference", out var reference)
            && reference.ValueKind == JsonValueKind.Object
            && Text(reference, "reference") == coverageReference);

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    /// <summary>The coverage-assertion-id of this kind of annotation on a resource (an order a PAS claim names), if any.</summary>
    public static string? AssertionIdOn(Resource resource) =>
        resource is DomainResource domain
            ? domain.Extension
                .Where(e => e.Url == Url)
                .SelectMany(e => e.Extension)
                .Where(e => e.Url == "coverage-assertion-id")
                .Select(e => (e.Value as FhirString)?.Value)
                .FirstOrDefault(v => !string.IsNullOrEmpty(v))
            : null;
}
