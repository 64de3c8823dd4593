using Microsoft.AspNetCore.Diagnostics;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Gives every bodiless error answer (no route, wrong method, failed binding, 403 …) a message in
/// the API's shape. A 401 says only that a valid token is needed, never why one was refused; under
/// /fhir the bearer scheme writes its own OperationOutcome, elsewhere (no API of ours) 401 stays bare.
/// </summary>
internal static class EmptyErrorBodies
{
    public static Task FillAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status401Unauthorized && ApiSurfaces.Of(context.Request.Path) != ApiSurface.CdsHooks)
        {
            return Task.CompletedTask;
        }

        // No route serves "POST Claim/$nope" (or "GET ClaimResponse/{id}/$review"): rather than
        // routing's 404/405 about the path or method, say what is wrong with the operation call.
        if (status is StatusCodes.Status404NotFound or StatusCodes.Status405MethodNotAllowed
            && ApiSurfaces.Of(context.Request.Path) == ApiSurface.Fhir
            && UnservedOperation.NameIn(context.Request.Path) is { } operation)
        {
            return ApiErrorWriter.WriteAsync(context, UnservedOperation.Refusal(context, operation));
        }

        return ApiErrorWriter.WriteAsync(context, status, MessageFor(status, context.Request), FhirHttpException.IssueTypeFor(status));
    }

    private static string MessageFor(int status, HttpRequest request) => status switch
    {
        400 => "The request could not be read: check that the body is the JSON this endpoint expects.",
        401 => "A valid CDS Hooks client JWT from a trusted EHR, for this service, is required.",
        403 => "The access token does not grant access to this resource.",
        404 => $"Nothing is served at {request.Method} {ApiSurfaces.Of(request.Path) switch { ApiSurface.Fhir => "this FHIR path", ApiSurface.CdsHooks => "this CDS Hooks path", _ => "this path" }}.",
        405 => $"Method {request.Method} is not allowed here.",
        406 => "The requested response format is not available.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "The Content-Type is not accepted here; send JSON.",
        _ => $"The request was refused (HTTP {status}).",
    };
}
