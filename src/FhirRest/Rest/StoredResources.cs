using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>Stored JSON back to a resource whose meta states the version we hold.</summary>
internal static class StoredResources
{
    public static Resource ToResource(StoredResource stored)
    {
        // We wrote it ourselves after strict parsing; lenient here so a later SDK's stricter rule
        // can never make stored data unreadable.
        var resource = System.Text.Json.JsonSerializer.Deserialize<Resource>(stored.Json, FhirJson.LenientOptions)
            ?? throw new InvalidOperationException("Stored resource is empty.");
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = stored.LastUpdated;
        return resource;
    }

    public static T ToResource<T>(StoredResource stored) where T : Resource =>
        ToResource(stored) as T ?? throw new InvalidOperationException($"Stored {stored.ResourceType}/{stored.Id} is not a {typeof(T).Name}.");
}
