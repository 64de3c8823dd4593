using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>Who serves a resource type's read and search routes.</summary>
public enum ResourceOwner
{
    /// <summary>This slice's generic routes, from IResourceStore.</summary>
    Store,

    /// <summary>This slice, derived on request (never stored as such).</summary>
    Derived,

    /// <summary>The DTR slice's published catalog (its own routes).</summary>
    DtrCatalog,

    /// <summary>The PAS slice's own routes (Subscription).</summary>
    PasSlice,
}

/// <summary>A resource type as the server serves it: interactions, search parameters, operations, profiles.</summary>
public sealed record ServedResourceType(
    string Type,
    ResourceOwner Owner,
    IReadOnlyList<CapabilityStatement.TypeRestfulInteraction> Interactions,
    IReadOnlyList<ServedSearchParameter> SearchParameters,
    IReadOnlyList<ServedOperation> Operations,
    IReadOnlyList<string> SupportedProfiles,
    string Documentation)
{
    public bool Supports(CapabilityStatement.TypeRestfulInteraction interaction) => Interactions.Contains(interaction);

    public ServedSearchParameter? SearchParameter(string name) => SearchParameters.FirstOrDefault(p => p.Name == name);
}
