using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirQuestionnaire.Tests.Authoring;

/// <summary>Reads and writes the committed artefacts in fhir-resources/.</summary>
public static class ArtifactFiles
{
    private static readonly JsonSerializerOptions Indented = new(FhirJson.Options) { WriteIndented = true };

    private static readonly Lazy<Policy> PolicyLazy = new(() => PolicyDocumentReader.ReadFile(RepositoryPaths.PolicyDocument));

    public static Policy Policy => PolicyLazy.Value;

    public static string PathOf(string fileName) => Path.Combine(RepositoryPaths.FhirResources, fileName);

    public static T Read<T>(string fileName) where T : Resource => FhirJson.Parse<T>(File.ReadAllText(PathOf(fileName)));

    public static Questionnaire Questionnaire(string id) => Read<Questionnaire>($"Questionnaire-{id}.json");

    public static string ToIndentedJson(Resource resource) => JsonSerializer.Serialize(resource, resource.GetType(), Indented) + "\n";

    /// <summary>Compact, canonical JSON: equal for equal content whatever the file's formatting.</summary>
    public static string Canonical(Resource resource) => FhirJson.Serialize(resource);
}
