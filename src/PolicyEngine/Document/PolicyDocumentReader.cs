using System.Text.Json;

namespace SpinePolicy.PolicyEngine.Document;

/// <summary>Reads a policy document from JSON and checks it is complete and consistent.</summary>
public static class PolicyDocumentReader
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        AllowTrailingCommas = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static Policy Read(string json)
    {
        PolicyDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<PolicyDocument>(json, Options);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "document" : ex.Path;
            throw new PolicyDocumentException($"Policy document is malformed at '{where}': {ex.Message}", ex);
        }

        if (document is null)
        {
            throw new PolicyDocumentException("Policy document is empty.");
        }

        PolicyDocumentValidator.Validate(document);
        return new Policy(document);
    }

    public static Policy ReadFile(string path)
    {
        if (!File.Exists(path))
        {
            throw new PolicyDocumentException($"Policy document not found: '{path}'.");
        }

        return Read(File.ReadAllText(path));
    }
}
