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

        try
        {
            return Read(File.ReadAllText(path));
        }
        catch (PolicyDocumentException ex)
        {
            throw new PolicyDocumentException($"{Path.GetFileName(path)}: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// P13: every version of the policy — each *.json document of a folder — or, given a file, that
    /// one document alone. Versions must be of one policy and take effect on different dates.
    /// </summary>
    public static PolicyTimeline ReadTimeline(string path)
    {
        if (File.Exists(path))
        {
            return PolicyTimeline.Of(ReadFile(path));
        }

        if (!Directory.Exists(path))
        {
            throw new PolicyDocumentException($"Policy document or folder not found: '{path}'.");
        }

        var files = Directory.GetFiles(path, "*.json").Order(StringComparer.Ordinal).ToList();
        if (files.Count == 0)
        {
            throw new PolicyDocumentException($"The policy folder '{path}' holds no policy document (*.json).");
        }

        return new PolicyTimeline(files.Select(ReadFile));
    }
}
