using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using SpinePolicy.Fhir.Security;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// Finishing a pended request is a clinical decision: besides the FHIR scope to update
/// ClaimResponses, the token must name the caller a utilization reviewer (claim "roles", "role" or
/// the mapped role claim, containing <see cref="Role"/>).
/// </summary>
public sealed class ReviewerRequirement : IAuthorizationRequirement
{
    public const string Role = "utilization-reviewer";

    public static bool IsReviewer(ClaimsPrincipal user) =>
        user.Claims
            .Where(c => c.Type is "roles" or "role" or ClaimTypes.Role)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(Role, StringComparer.Ordinal);
}

/// <summary>Decides <see cref="ReviewerRequirement"/>; honours the host's switch for the Development environment.</summary>
public sealed class ReviewerAuthorizationHandler(FhirAuthorizationSwitch authorizationSwitch) : AuthorizationHandler<ReviewerRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ReviewerRequirement requirement)
    {
        if (!authorizationSwitch.Enabled || (context.User.Identity?.IsAuthenticated == true && ReviewerRequirement.IsReviewer(context.User)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
