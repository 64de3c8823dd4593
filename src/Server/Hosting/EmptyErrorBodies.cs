using Microsoft.AspNetCore.Diagnostics;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Gives every bodiless error answer (no route, wrong method, failed binding, 403 …) a message in
/// the API's shape. 401 stays bare on purpose: a failed authentication says nothing about why.
/// </summary>
public static class EmptyErrorBodies
{
    public static Task FillAsync(StatusCodeContext statusContext)
    {
        var context = statusContext.HttpContext;
        var status = context.Response.StatusCode;
        if (status == StatusCodes.Status401Unauthorized)
        {
            return Task.CompletedTask;
        }

        return ApiErrorWriter.WriteAsync(context, status, MessageFor(status, context.Request), ApiErrorWriter.IssueTypeFor(status));
    }

    private static string MessageFor(int status, HttpRequest request) => status switch
    {
        400 => "The request could not be read: check that the body is the JSON this endpoint expects.",
        403 => "The access token does not grant access to this resource.",
        404 => $"Nothing is served at {request.Method} {ApiSurfaces.Of(request.Path) switch { ApiSurface.Fhir => "this FHIR path", ApiSurface.CdsHooks => "this CDS Hooks path", _ => "this path" }}.",
        405 => $"Method {request.Method} is not allowed here.",
        406 => "The requested response format is not available.",
        413 => "The request body is larger than this endpoint accepts.",
        415 => "The Content-Type is not accepted here; send JSON.",
        _ => $"The request was refused (HTTP {status}).",
    };
}
