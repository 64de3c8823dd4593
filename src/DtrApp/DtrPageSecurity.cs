using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Hosting;

namespace SpinePolicy.DtrApp;

/// <summary>
/// The app's own Content-Security-Policy: scripts only from this server (no inline script at all,
/// no eval), calls only to this server and the EHRs the payer registered, nothing framed, no
/// plugins. Inline styles are allowed: the form renderer (MUI, emotion) and libraries under it
/// insert style elements, some without a nonce; styles cannot run code.
/// </summary>
internal sealed class DtrPageSecurity(DtrAppOptions options, IHostEnvironment environment)
{
    public string ContentSecurityPolicy()
    {
        var connect = string.Join(' ', ["'self'", .. ConnectSources()]);
        var frames = options.FrameAncestors.Count == 0 ? "'none'" : string.Join(' ', options.FrameAncestors.Select(Origin).Distinct());
        return $"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; img-src 'self' data:; " +
            $"connect-src {connect}; form-action 'self'; base-uri 'none'; frame-ancestors {frames}";
    }

    /// <summary>The page's own headers; the host's defaults (X-Frame-Options among them) step aside for them.</summary>
    public void Apply(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy();
        if (options.FrameAncestors.Count == 0)
        {
            response.Headers.XFrameOptions = "DENY";
        }

        // The page carries the app's settings: always fresh.
        response.Headers.CacheControl = "no-store";
    }

    private IEnumerable<string> ConnectSources()
    {
        if (options.AllowedIssuers.Count == 0)
        {
            // Any EHR may launch the app, so any EHR may be called; plain http only on a developer's machine.
            return environment.IsDevelopment() ? ["https:", "http:"] : ["https:"];
        }

        return options.AllowedIssuers.Concat(options.ConnectOrigins).Select(Origin).Distinct(StringComparer.OrdinalIgnoreCase);
    }

    private static string Origin(string url) => new Uri(url).GetLeftPart(UriPartial.Authority);
}
