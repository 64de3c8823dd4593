using System.Text.Json.Nodes;
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
    /// Drops coverage-information this payer put on the resource earlier for the same coverage (the
    /// new assertion supersedes it); another payer's annotations stay.
    /// </summary>
    /// <remarks>
    /// Works on the resource's JSON as the EHR sent it: the update system action returns that JSON
    /// with our extension in place of the old one, rather than a Firely round trip of the resource.
    /// </remarks>
    public static void RemovePrevious(JsonObject target, string coverageReference)
    {
        if (target["extension"] is not JsonArray extensions)
        {
            return;
        }

        for (var i = extensions.Count - 1; i >= 0; i--)
        {
            if (extensions[i] is JsonObject extension && IsOursFor(extension, coverageReference))
            {
                extensions.RemoveAt(i);
            }
        }
    }

    /// <summary>Adds the annotation to the resource's JSON (an <c>extension</c> array is created when it has none).</summary>
    public static void Add(JsonObject target, Extension annotation)
    {
        if (target["extension"] is not JsonArray extensions)
        {
            extensions = [];
            target["extension"] = extensions;
        }

        extensions.Add(JsonNode.Parse(ElementSerializer.SerializeToBytes(annotation)));
    }

    private static readonly BaseFhirJsonSerializer ElementSerializer = new(ModelInfo.ModelInspector);

    private static bool IsOursFor(JsonObject extension, string coverageReference) =>
        Text(extension["url"]) == Url
        && extension["extension"] is JsonArray parts
        && parts.OfType<JsonObject>().Any(part =>
            Text(part["url"]) == "coverage"
            && part["valueReference"] is JsonObject reference
            && Text(reference["reference"]) == coverageReference);

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

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
