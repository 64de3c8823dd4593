using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Security;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// Finishing a pended request is a clinical decision: besides the FHIR scope to update
/// ClaimResponses, the client must be bound in configuration as this payer's reviewer application
/// (FhirAuthentication:Clients, Role Reviewer). A scope or a role claim alone is never enough.
/// </summary>
internal sealed class ReviewerRequirement : IAuthorizationRequirement;

/// <summary>Decides <see cref="ReviewerRequirement"/>; honours the host's switch for the Development environment.</summary>
internal sealed class ReviewerAuthorizationHandler(FhirCallers callers) : AuthorizationHandler<ReviewerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReviewerRequirement requirement)
    {
        if (context.Resource is HttpContext http && callers.Of(http) is { } caller && (caller.Unrestricted || caller.Role == ClientRole.Reviewer))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
