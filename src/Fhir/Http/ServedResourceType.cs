using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>Which routes serve a resource type's interactions.</summary>
public enum ServedRoutes
{
    /// <summary>The generic store-backed routes (/fhir/{type}[/{id}…]) of the FHIR REST slice.</summary>
    Generic,

    /// <summary>Routes the contributing slice maps itself (published artefacts, derived resources, Subscription).</summary>
    Own,
}

/// <summary>
/// A resource type as the server serves it: interactions, search parameters, operations, profiles.
/// The slice that serves a type contributes it (<see cref="FhirCapabilityRegistration"/>); other
/// slices may add operations to it. The CapabilityStatement is built from these contributions.
/// <see cref="SubscriptionTopics"/>: for Subscription, the canonical URLs of the topics a client may
/// subscribe to (the Subscriptions backport advertises them on the CapabilityStatement).
/// </summary>
public sealed record ServedResourceType(
    string Type,
    ServedRoutes Routes,
    IReadOnlyList<CapabilityStatement.TypeRestfulInteraction> Interactions,
    IReadOnlyList<ServedSearchParameter> SearchParameters,
    IReadOnlyList<ServedOperation> Operations,
    IReadOnlyList<string> SupportedProfiles,
    string Documentation,
    IReadOnlyList<string>? SubscriptionTopics = null)
{
    public bool Supports(CapabilityStatement.TypeRestfulInteraction interaction) => Interactions.Contains(interaction);

    public ServedSearchParameter? SearchParameter(string name) => SearchParameters.FirstOrDefault(p => p.Name == name);
}
