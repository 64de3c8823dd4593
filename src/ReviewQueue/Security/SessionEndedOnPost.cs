using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SpinePolicy.ReviewQueue.Cases;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// A case-page form posted after the reviewer's sign-in ended would otherwise be answered with a
/// redirect to the identity provider, and what the reviewer entered would be gone. Instead it is
/// answered 401 with <see cref="SessionEndedPage"/>: nothing is recorded (the page's handler never
/// runs), and when the form is shown to be this reviewer's, what they entered is kept in
/// <see cref="DecisionDraftCookie"/> so that signing in again returns them to the filled form.
/// "Shown to be theirs" means the browser still holds their (expired) session, whose ticket the Data
/// Protection keys still open, and the form's antiforgery token is valid for that reviewer: a
/// cross-site post carries neither (SameSite cookies), so it can plant nothing in the form.
/// Every other challenge (GETs, the API) is answered as before.
/// </summary>
internal sealed class SessionEndedOnPost(
    ReviewerSignIn signIn,
    DecisionDraftCookie drafts,
    IAntiforgery antiforgery,
    IOptionsMonitor<CookieAuthenticationOptions> cookieOptions,
    ReviewPageHeadersFilter headers) : IAuthorizationMiddlewareResultHandler
{
    private const string CasePage = "/Review/Case";

    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        if (!authorizeResult.Challenged
            || !HttpMethods.IsPost(context.Request.Method)
            || !context.Request.HasFormContentType
            || context.GetRouteValue("page") as string != CasePage
            || context.GetRouteValue("id") is not string caseId)
        {
            await _default.HandleAsync(next, context, policy, authorizeResult);
            return;
        }

        DecisionDraft? draft = null;
        var kept = SessionEndedPage.Kept.Nothing;
        if (await LapsedReviewerAsync(context) is { } reviewer && reviewer.FindFirst("sub") is { } subject)
        {
            draft = DecisionDraft.FromForm(await context.Request.ReadFormAsync(context.RequestAborted), caseId, subject.Value, subject.Issuer);
            if (!draft.IsEmpty)
            {
                kept = drafts.TryKeep(context, draft) ? SessionEndedPage.Kept.ThroughSignIn : SessionEndedPage.Kept.OnThisPageOnly;
            }
        }

        headers.Apply(context.Response);
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.ContentType = "text/html; charset=utf-8";
        await context.Response.WriteAsync(SessionEndedPage.Html(caseId, draft, kept), context.RequestAborted);
    }

    /// <summary>
    /// The reviewer of the session this browser held, when its ticket is ours and the posted form's
    /// antiforgery token was issued to them; null otherwise.
    /// </summary>
    private async Task<ClaimsPrincipal?> LapsedReviewerAsync(HttpContext context)
    {
        if (signIn.Mode != ReviewerSignInMode.OpenIdConnect)
        {
            return null;
        }

        var options = cookieOptions.Get(ReviewerSchemes.Cookie);
        if (options.CookieManager.GetRequestCookie(context, options.Cookie.Name!) is not { Length: > 0 } value
            || options.TicketDataFormat.Unprotect(value) is not { } ticket
            || !signIn.IsReviewer(ticket.Principal))
        {
            return null;
        }

        // The antiforgery token is bound to the user it was issued to; validate it as that user.
        var current = context.User;
        context.User = ticket.Principal;
        try
        {
            return await antiforgery.IsRequestValidAsync(context) ? ticket.Principal : null;
        }
        finally
        {
            context.User = current;
        }
    }
}
