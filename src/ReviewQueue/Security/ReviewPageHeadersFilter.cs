using Microsoft.AspNetCore.Mvc.Filters;

namespace SpinePolicy.ReviewQueue.Security;

/// <summary>
/// The reviewer pages' own Content-Security-Policy: our stylesheet and nothing else — no script at
/// all, inline or not, no frames, forms only to ourselves (and the identity provider, where a
/// form's answer redirects to sign-in). The host's strict API policy stays on every other route;
/// the host keeps a policy an endpoint has set. The pages show member data: never cached.
/// </summary>
internal sealed class ReviewPageHeadersFilter(string contentSecurityPolicy) : IPageFilter
{
    public static string PolicyFor(ReviewerSignInOptions options)
    {
        var formTargets = "'self'";
        if (options.IsConfigured && Uri.TryCreate(options.Authority, UriKind.Absolute, out var authority))
        {
            formTargets += " " + authority.GetLeftPart(UriPartial.Authority);
        }

        return $"default-src 'none'; style-src 'self'; img-src 'self'; form-action {formTargets}; frame-ancestors 'none'; base-uri 'none'";
    }

    public void OnPageHandlerSelected(PageHandlerSelectedContext context) => Apply(context.HttpContext.Response);

    public void OnPageHandlerExecuting(PageHandlerExecutingContext context)
    {
    }

    public void OnPageHandlerExecuted(PageHandlerExecutedContext context)
    {
    }

    public void Apply(Microsoft.AspNetCore.Http.HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = contentSecurityPolicy;
        response.Headers.CacheControl = "no-store";
        response.Headers.Pragma = "no-cache";
    }
}
