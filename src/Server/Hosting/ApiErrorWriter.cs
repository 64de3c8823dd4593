using System.Globalization;
using System.Text.Json;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.Fhir.Http;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Writes a refusal in the shape the addressed API promises: an OperationOutcome under /fhir (in
/// the negotiated format, through the one <see cref="FhirResult"/>), a CDS Hooks error object
/// (<c>{error, message, operationOutcome}</c>) under /cds-services, RFC 9457 problem details
/// elsewhere. Every 503 carries Retry-After. Every host-wide rejection (exceptions, limits, rate
/// limiting, empty 4xx bodies) goes through here.
/// </summary>
internal static class ApiErrorWriter
{
    /// <summary>Seconds a client should wait before retrying a 503 (the database is unavailable).</summary>
    public const int RetryAfterSeconds = 5;

    public static Task WriteAsync(HttpContext context, int statusCode, string message, OperationOutcome.IssueType issueType) =>
        WriteAsync(context, new FhirHttpException(statusCode, issueType, message));

    public static async Task WriteAsync(HttpContext context, FhirHttpException error)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = error.StatusCode;
        response.Headers.CacheControl = "no-store";
        if (error.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        }

        switch (ApiSurfaces.Of(context.Request.Path))
        {
            case ApiSurface.Fhir:
                await new FhirResult(error.ToOperationOutcome(), error.StatusCode).ExecuteAsync(context);
                break;
            case ApiSurface.CdsHooks:
                // The CDS Hooks slice's own error type and options: one shape whoever refuses.
                response.ContentType = "application/json; charset=utf-8";
                var body = CdsError.For(error.StatusCode, error.Code ?? ErrorCode(error.StatusCode), error.Message, error.ToOperationOutcome());
                await JsonSerializer.SerializeAsync(response.Body, body, CdsJson.Options, context.RequestAborted);
                break;
            default:
                await Results.Problem(detail: error.Message, statusCode: error.StatusCode).ExecuteAsync(context);
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
        406 => "not-acceptable",
        409 => "conflict",
        412 => "precondition-failed",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        422 => "unprocessable",
        429 => "too-many-requests",
        503 => "unavailable",
        _ => statusCode >= 500 ? "server-error" : "client-error",
    };
}
