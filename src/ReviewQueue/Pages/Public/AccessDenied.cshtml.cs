using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace SpinePolicy.ReviewQueue.Pages.Public;

/// <summary>Where a signed-in user without the reviewer role (or a failed sign-in) lands: 403, with words.</summary>
internal sealed class AccessDeniedModel : PageModel
{
    [BindProperty(SupportsGet = true, Name = "signin")]
    public string? SignInResult { get; set; }

    public bool SignInFailed => SignInResult == "failed";

    public void OnGet() => Response.StatusCode = SignInFailed ? StatusCodes.Status401Unauthorized : StatusCodes.Status403Forbidden;
}
