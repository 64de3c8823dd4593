using System.Text.Json;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Reads single fields straight from FHIR JSON, checking the JSON kind of each one it reads: a
/// field of the wrong kind is the caller's 400 naming the element, never an exception of the JSON
/// API. Fields it is not asked for are not looked at.
/// </summary>
public static class JsonFields
{
    public static string? OptionalString(JsonElement owner, string name, string path) =>
        owner.TryGetProperty(name, out var value) ? StringValue(value, path) : null;

    public static string? StringValue(JsonElement value, string path) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Null => throw Wrong(path, "a string, not null (FHIR JSON leaves out an element that has no value)"),
        _ => throw Wrong(path, "a string"),
    };

    public static JsonElement? OptionalObject(JsonElement owner, string name, string path)
    {
        if (!owner.TryGetProperty(name, out var value))
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw Wrong(path, "an object");
    }

    /// <summary>The items of an array element (none when absent); each must be an object.</summary>
    public static IEnumerable<(JsonElement Item, string Path)> Objects(JsonElement owner, string name, string path)
    {
        if (!owner.TryGetProperty(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Wrong(path, "an array");
        }

        var items = new List<(JsonElement, string)>(value.GetArrayLength());
        var index = 0;
        foreach (var item in value.EnumerateArray())
        {
            var itemPath = $"{path}[{index++}]";
            items.Add(item.ValueKind == JsonValueKind.Object ? (item, itemPath) : throw Wrong(itemPath, "an object"));
        }

        return items;
    }

    private static FhirHttpException Wrong(string path, string expected) =>
        new(400, Hl7.Fhir.Model.OperationOutcome.IssueType.Structure, $"{path} must be {expected}.", path);
}
