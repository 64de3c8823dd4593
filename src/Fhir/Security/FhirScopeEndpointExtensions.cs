using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// How any slice's /fhir endpoint requires an access token with the right system scope:
/// <c>app.MapPost("/fhir/Claim/$submit", …).RequireFhirScope("Claim", FhirAccess.Create);</c>
/// Missing or invalid token: 401 with WWW-Authenticate; valid token without the scope: 403 with
/// an OperationOutcome. Both are written by the FHIR REST slice's authentication scheme.
/// </summary>
public static class FhirScopeEndpointExtensions
{
    public static TBuilder RequireFhirScope<TBuilder>(this TBuilder builder, string resourceType, FhirAccess access)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(resourceType, access));

    /// <summary>For generic routes: the resource type is the route value <c>{type}</c>.</summary>
    public static TBuilder RequireFhirScopeForRouteType<TBuilder>(this TBuilder builder, FhirAccess access)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(Policy(null, access));

    private static AuthorizationPolicy Policy(string? resourceType, FhirAccess access) =>
        new AuthorizationPolicyBuilder(FhirAuthorizationDefaults.Scheme)
            .AddRequirements(new FhirScopeRequirement(resourceType, access))
            .Build();
}
