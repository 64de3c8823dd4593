using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>Stored JSON back to a resource whose meta states the version we hold.</summary>
internal static class StoredResources
{
    public static Resource ToResource(StoredResource stored)
    {
        var resource = FhirJson.ParseStored<Resource>(stored.Json);
        resource.Meta ??= new Meta();
        resource.Meta.VersionId = stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        resource.Meta.LastUpdated = stored.LastUpdated;
        return resource;
    }

    public static T ToResource<T>(StoredResource stored) where T : Resource =>
        ToResource(stored) as T ?? throw new InvalidOperationException($"Stored {stored.ResourceType}/{stored.Id} is not a {typeof(T).Name}.");
}
