using System.Text.Json;
using System.Text.Json.Serialization;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>JSON options for the CDS Hooks envelope (camelCase, nulls omitted). FHIR goes through FhirJson.</summary>
public static class CdsJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };
}
