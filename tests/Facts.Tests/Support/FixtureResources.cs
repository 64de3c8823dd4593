using System.Text.Json;
using System.Text.Json.Nodes;
using SpinePolicy.TestKit;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// The resources of given types found anywhere in the repository's JSON fixtures (Inferno, bench,
/// published examples), nested ones included, with variants of each as rows of a theory: the
/// corpus the fast readers are held against Firely's parse on.
/// </summary>
public static class FixtureResources
{
    public static TheoryData<string, string> Corpus(IReadOnlySet<string> types, Func<JsonObject, IEnumerable<JsonObject>> variants)
    {
        var data = new TheoryData<string, string>();
        var roots = new[] { RepositoryPaths.InfernoFixtures, Path.Combine(RepositoryPaths.Root, "bench", "scenarios"), Path.Combine(RepositoryPaths.FhirResources, "examples") };
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in roots.Where(Directory.Exists).SelectMany(r => Directory.EnumerateFiles(r, "*.json", SearchOption.AllDirectories)).Order(StringComparer.Ordinal))
        {
            JsonNode? document;
            try
            {
                document = JsonNode.Parse(File.ReadAllText(file));
            }
            catch (JsonException)
            {
                continue;
            }

            foreach (var resource in Find(document, types))
            {
                foreach (var variant in variants(resource))
                {
                    var json = variant.ToJsonString();
                    if (seen.Add(json))
                    {
                        data.Add(Path.GetRelativePath(RepositoryPaths.Root, file), json);
                    }
                }
            }
        }

        return data;
    }

    public static JsonObject With(JsonObject original, string name, JsonNode? value)
    {
        var copy = (JsonObject)original.DeepClone();
        copy[name] = value?.DeepClone();
        return copy;
    }

    public static JsonObject Without(JsonObject original, params string[] names)
    {
        var copy = (JsonObject)original.DeepClone();
        foreach (var name in names)
        {
            copy.Remove(name);
        }

        return copy;
    }

    private static IEnumerable<JsonObject> Find(JsonNode? node, IReadOnlySet<string> types)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["resourceType"] is JsonValue type && type.TryGetValue<string>(out var name) && types.Contains(name))
                {
                    yield return obj;
                }

                foreach (var child in obj.Select(p => p.Value).SelectMany(v => Find(v, types)))
                {
                    yield return child;
                }

                break;
            case JsonArray array:
                foreach (var child in array.SelectMany(v => Find(v, types)))
                {
                    yield return child;
                }

                break;
        }
    }
}
