using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using SpinePolicy.ReviewQueue.Security;

namespace SpinePolicy.ReviewQueue.Pages.Review;

/// <summary>
/// POST /review/sign-out: ends the reviewer's session here (the identity provider's own session is
/// its business) and drops any decision draft kept in this browser (<see cref="DecisionDraftCookie"/>).
/// </summary>
internal sealed class SignOutModel(ReviewerSignIn signIn, DecisionDraftCookie drafts) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        drafts.Discard(HttpContext);
        if (!signIn.IsDevelopment)
        {
            await HttpContext.SignOutAsync(ReviewerSchemes.Cookie);
        }

        return Redirect("/review/signed-out");
    }
}
