using Microsoft.AspNetCore.Authorization;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// The caller's token must grant <see cref="Access"/> to <see cref="ResourceType"/>. A null
/// resource type means "the type named by the route value <c>{type}</c>" (generic routes).
/// </summary>
public sealed class FhirScopeRequirement(string? resourceType, FhirAccess access) : IAuthorizationRequirement
{
    public string? ResourceType { get; } = resourceType;

    public FhirAccess Access { get; } = access;
}
