using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace SpinePolicy.Fhir.Security;

/// <summary>Decides <see cref="FhirScopeRequirement"/> with <see cref="FhirScopes"/>.</summary>
public sealed class FhirScopeAuthorizationHandler(FhirAuthorizationSwitch authorizationSwitch) : AuthorizationHandler<FhirScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, FhirScopeRequirement requirement)
    {
        if (!authorizationSwitch.Enabled)
        {
            context.Succeed(requirement);
            return Task.CompletedTask;
        }

        if (context.User.Identity?.IsAuthenticated != true)
        {
            // Not failing explicitly: the authorization middleware then challenges (401), not forbids.
            return Task.CompletedTask;
        }

        var resourceType = requirement.ResourceType
            ?? (context.Resource as HttpContext)?.GetRouteValue(FhirAuthorizationDefaults.ResourceTypeRouteValue) as string;
        if (resourceType is not null && FhirScopes.Allows(context.User, resourceType, requirement.Access))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
