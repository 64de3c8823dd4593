using System.Text.Json;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using SpinePolicy.Fhir;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Writes an error in the shape the addressed API promises: an OperationOutcome under /fhir, a
/// CDS Hooks error object under /cds-services, RFC 9457 problem details elsewhere. Every host-wide
/// rejection (exceptions, limits, rate limiting, empty 4xx bodies) goes through here, so the
/// mapping lives in one place.
/// </summary>
public static class ApiErrorWriter
{
    private static readonly JsonSerializerOptions CdsJson = new(JsonSerializerDefaults.Web);

    public static async Task WriteAsync(HttpContext context, int statusCode, string message, OperationOutcome.IssueType issueType)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = statusCode;
        response.Headers.CacheControl = "no-store";
        switch (ApiSurfaces.Of(context.Request.Path))
        {
            case ApiSurface.Fhir:
                response.ContentType = "application/fhir+json; charset=utf-8";
                var outcome = OperationOutcomes.Error(issueType, message);
                await response.Body.WriteAsync(FhirJson.SerializeToUtf8Bytes(outcome), context.RequestAborted);
                break;
            case ApiSurface.CdsHooks:
                response.ContentType = "application/json; charset=utf-8";
                await JsonSerializer.SerializeAsync(response.Body, new CdsHooksError(ErrorCode(statusCode), message), CdsJson, context.RequestAborted);
                break;
            default:
                await Results.Problem(detail: message, statusCode: statusCode).ExecuteAsync(context);
                break;
        }
    }

    /// <summary>A short machine-readable code for the CDS Hooks error object.</summary>
    public static string ErrorCode(int statusCode) => statusCode switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable",
        429 => "too-many-requests",
        503 => "unavailable",
        _ => statusCode >= 500 ? "server-error" : "client-error",
    };

    /// <summary>The FHIR issue type that best names an HTTP status.</summary>
    public static OperationOutcome.IssueType IssueTypeFor(int statusCode) => statusCode switch
    {
        401 => OperationOutcome.IssueType.Login,
        403 => OperationOutcome.IssueType.Forbidden,
        404 => OperationOutcome.IssueType.NotFound,
        405 or 415 => OperationOutcome.IssueType.NotSupported,
        409 or 412 => OperationOutcome.IssueType.Conflict,
        413 => OperationOutcome.IssueType.TooCostly,
        429 => OperationOutcome.IssueType.Throttled,
        503 => OperationOutcome.IssueType.Transient,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Invalid,
    };
}
