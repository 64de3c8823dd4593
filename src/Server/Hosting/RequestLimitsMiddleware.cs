using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Rejects bodies the APIs cannot accept before any endpoint reads them: too large (413) or not
/// a format the API does not speak (415): CDS Hooks takes JSON only; /fhir takes FHIR JSON or FHIR
/// XML. Forms, text and anything else are refused with a message rather than half-parsed.
/// </summary>
internal sealed class RequestLimitsMiddleware(RequestDelegate next, IOptions<RequestLimitOptions> options)
{
    private static readonly string[] JsonMediaTypes = ["application/json", "application/fhir+json", "application/json+fhir"];
    private static readonly string[] XmlMediaTypes = ["application/fhir+xml", "application/xml+fhir", "application/xml", "text/xml"];

    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var surface = ApiSurfaces.Of(request.Path);
        var limit = options.Value.LimitFor(request);

        if (request.ContentLength > limit)
        {
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, $"The request body is larger than this endpoint accepts ({limit} bytes).", OperationOutcome.IssueType.TooCostly);
            return;
        }

        if (surface != ApiSurface.Other && HasBody(request) && !IsAccepted(surface, request))
        {
            var expected = surface == ApiSurface.Fhir ? "application/fhir+json or application/fhir+xml" : "application/json";
            await ApiErrorWriter.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, $"Content-Type '{request.ContentType ?? "(none)"}' is not accepted here; send {expected}.", OperationOutcome.IssueType.NotSupported);
            return;
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeFeature)
        {
            sizeFeature.MaxRequestBodySize = limit;
        }

        request.Body = new SizeLimitedStream(request.Body, limit);
        await next(context);
    }

    private static bool HasBody(HttpRequest request) =>
        request.ContentLength > 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count > 0);

    /// <summary>FHIR allows search by POST to [type]/_search with a form body.</summary>
    private static bool IsFormSearch(HttpRequest request) =>
        request.Path.Value?.EndsWith("/_search", StringComparison.Ordinal) == true
        && request.HasFormContentType;

    private static bool IsAccepted(ApiSurface surface, HttpRequest request) =>
        Is(request.ContentType, JsonMediaTypes)
        || (surface == ApiSurface.Fhir && (Is(request.ContentType, XmlMediaTypes) || IsFormSearch(request)));

    private static bool Is(string? contentType, string[] mediaTypes) =>
        MediaTypeHeaderValue.TryParse(contentType, out var parsed)
        && parsed.MediaType.HasValue
        && mediaTypes.Contains(parsed.MediaType.Value, StringComparer.OrdinalIgnoreCase);
}
