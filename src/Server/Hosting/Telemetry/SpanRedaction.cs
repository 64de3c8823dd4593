using System.Diagnostics;

namespace SpinePolicy.Server.Hosting.Telemetry;

/// <summary>
/// Keeps resource ids out of the framework's spans: a request path such as /fhir/ClaimResponse/{id}
/// or an EHR fetch of Patient/{id} names a member's resource, which must not leave the server in
/// telemetry any more than in logs. The route template and the EHR's origin say enough to operate.
/// </summary>
internal static class SpanRedaction
{
    private const string UrlPath = "url.path";
    private const string UrlQuery = "url.query";
    private const string UrlFull = "url.full";

    /// <summary>ASP.NET Core server span: url.path becomes the matched route template; the query goes.</summary>
    public static void ReplacePathWithRoute(Activity span, HttpResponse response)
    {
        var route = (response.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        span.SetTag(UrlPath, route is null ? "(unmatched)" : "/" + route.TrimStart('/'));
        span.SetTag(UrlQuery, null);
    }

    /// <summary>HttpClient span: url.full keeps scheme, host and port (the EHR or subscriber called), not the path.</summary>
    public static void KeepOriginOnly(Activity span, HttpRequestMessage request)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            span.SetTag(UrlFull, uri.GetLeftPart(UriPartial.Authority));
        }
    }
}
