namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Headers that stop a browser from sniffing, framing or leaking what we serve. Every API answer
/// may carry member data, so none of it may be cached by the client or an intermediary.
/// </summary>
internal sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(static state =>
        {
            var response = (HttpResponse)state;
            var headers = response.Headers;
            headers.XContentTypeOptions = "nosniff";

            // A page that sets its own policy (the DTR app, the reviewer queue) also decides who may frame it.
            if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
            {
                headers.XFrameOptions = "DENY";
                headers.ContentSecurityPolicy = "default-src 'none'; frame-ancestors 'none'";
            }

            headers["Referrer-Policy"] = "no-referrer";
            if (ApiSurfaces.Of(response.HttpContext.Request.Path) != ApiSurface.Other)
            {
                // PHI: never stored by browsers or proxies.
                headers.CacheControl = "no-store";
                headers.Pragma = "no-cache";
            }

            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    }
}
