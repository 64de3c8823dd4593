using System.Text.Json;

namespace SpinePolicy.Storage;

/// <summary>How both providers store a <see cref="CoverageAssertion"/> (it is ours, not FHIR, so plain JSON).</summary>
internal static class CoverageAssertionJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static string Serialize(CoverageAssertion assertion) => JsonSerializer.Serialize(assertion, Options);

    public static CoverageAssertion Deserialize(string json) =>
        JsonSerializer.Deserialize<CoverageAssertion>(json, Options)
        ?? throw new InvalidOperationException("A stored coverage assertion is empty.");
}
