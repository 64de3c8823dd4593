using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Resources that never change once they are published (the questionnaires, libraries and value
/// sets every DTR package carries), serialized to JSON by Firely once, on first use, and then
/// spliced into each JSON answer that carries them (<see cref="SplicedJson"/>) instead of being
/// serialized again. Measured on the package: serializing the same 60 KB of Questionnaire, Library
/// and value sets was about a quarter of its CPU (docs/benchmarks.md).
/// A resource registered here must not change afterwards: answers would not show the change.
/// </summary>
public static class SerializedOnce
{
    private static readonly ConditionalWeakTable<Resource, Lazy<byte[]>> Json = new();

    /// <summary>Registers the resource (the same instance is returned) for serialization once.</summary>
    public static T Register<T>(T resource) where T : Resource
    {
        Json.AddOrUpdate(resource, new Lazy<byte[]>(() => FhirJson.SerializeToUtf8Bytes(resource)));
        return resource;
    }

    /// <summary>The resource's JSON when it is registered; the array is shared and must not be written to.</summary>
    internal static bool TryGet(Resource resource, [NotNullWhen(true)] out byte[]? json)
    {
        json = Json.TryGetValue(resource, out var once) ? once.Value : null;
        return json is not null;
    }
}
