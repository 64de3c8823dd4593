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

        var http = context.Resource as HttpContext;
        var resourceType = requirement.ResourceType ?? http?.GetRouteValue(FhirAuthorizationDefaults.ResourceTypeRouteValue) as string;
        var userScopesCount = http is not null && FhirCallers.Current(http).ActsForSignedInUser;
        if (resourceType is not null && FhirScopes.Allows(context.User, resourceType, requirement.Access, userScopesCount))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
