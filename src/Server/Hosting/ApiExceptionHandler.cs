using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Server.Hosting.Audit;
using SpinePolicy.Storage;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// THE error mapper: the one place an exception becomes an HTTP answer, for /fhir and
/// /cds-services alike. Slices throw <see cref="FhirHttpException"/> (status and OperationOutcome
/// issues) and let storage and parser exceptions travel; this class gives each its status:
/// <list type="bullet">
/// <item>bad input → 400 (syntax, encoding, structure) with a message the caller can act on;</item>
/// <item>a version conflict → 412 when the client sent If-Match (its precondition failed, as FHIR's
/// update says), 409 when it sent none (someone else's change got in between; the slices that
/// write conditionally answer these themselves with words of their own, this is the safety net);</item>
/// <item>a unique key (e.g. a PAS submission identifier) already held → 409 Conflict, everywhere:
/// the request conflicts with the server's current state and repeating it as-is will not help,
/// which is 409's meaning; 412 is kept for failed request preconditions (If-Match, If-None-Exist);</item>
/// <item>the database unreachable → 503 with Retry-After (written by <see cref="ApiErrorWriter"/> for every 503);</item>
/// <item>anything else → 500 carrying only a correlation id.</item>
/// </list>
/// Stack traces never leave the process; messages of unknown exceptions are not logged (they may
/// quote request data), nor are paths (they may hold resource ids).
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var surface = ApiSurfaces.Of(httpContext.Request.Path);
        if (httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer, and writing the answer would throw
            // inside the error handler, which the framework logs as an error with a stack trace.
            // Only what the departure itself leaves behind (a cancelled read, a broken connection,
            // a body cut short) is quiet: a failure of ours that coincides with it is still logged
            // as one, so that no caller can hide an error from operators by hanging up in time.
            if (ClientClosedRequest.Caused(exception, httpContext))
            {
                LogRequestAborted(logger, httpContext.Request.Method, surface);
            }
            else
            {
                LogUnhandled(logger, exception.GetType().FullName ?? exception.GetType().Name, Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier, exception.StackTrace);
            }

            return true;
        }

        var error = Classify(exception, httpContext.Request);
        if (error.StatusCode == StatusCodes.Status503ServiceUnavailable)
        {
            LogStorageUnavailable(logger, exception.GetType().Name, surface);
        }
        else if (error.StatusCode >= 500 && exception is not FhirHttpException)
        {
            var correlationId = Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier;
            LogUnhandled(logger, exception.GetType().FullName ?? exception.GetType().Name, correlationId, exception.StackTrace);
            error = new FhirHttpException(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception,
                $"An unexpected error occurred. Correlation id: {correlationId}.");
        }

        await ApiErrorWriter.WriteAsync(httpContext, error);
        return true;
    }

    /// <summary>The refusal an exception stands for, in answer to this request: its status, OperationOutcome issues and CDS Hooks code.</summary>
    public static FhirHttpException Classify(Exception exception, HttpRequest request) => exception switch
    {
        FhirHttpException e => e,
        DeserializationFailedException e => FhirHttpException.Structure(FirstProblem(e)),
        JsonException => FhirHttpException.Structure("The request body is not valid JSON."),
        DecoderFallbackException => FhirHttpException.Structure("The request body is not valid UTF-8."),

        // System.Text.Json validates UTF-8 inside strings only when a string is read.
        InvalidOperationException { InnerException: DecoderFallbackException } => FhirHttpException.Structure("The request body is not valid UTF-8."),

        // A form body (POST _search) that cannot be read as application/x-www-form-urlencoded.
        InvalidDataException => FhirHttpException.Structure("The form body could not be read as application/x-www-form-urlencoded."),

        BadHttpRequestException { StatusCode: 413 } => new FhirHttpException(StatusCodes.Status413PayloadTooLarge, OperationOutcome.IssueType.TooCostly, "The request body is larger than this endpoint accepts."),
        BadHttpRequestException e => new FhirHttpException(e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, OperationOutcome.IssueType.Invalid, "The request could not be read: " + e.Message),
        InvalidSearchException e => FhirHttpException.BadRequest(e.Message),
        UnstorableValueException e => FhirHttpException.BadRequest(e.Message),
        VersionConflictException when FhirIfMatch.Sent(request) => new FhirHttpException(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict,
            "The resource was changed since the version named in If-Match; nothing was recorded. Read it again and retry.", "If-Match"),
        VersionConflictException => FhirHttpException.ChangedMeanwhile("What this request would change was changed by another request meanwhile; nothing was recorded. Read it again and retry."),
        DuplicateKeyException => new FhirHttpException(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Duplicate,
            "A resource with the same identifying key exists already; it was not saved again."),
        StorageUnavailableException => Unavailable(),

        // A driver error that escaped the store: the database could not complete the request.
        DbException => Unavailable(),
        _ => new FhirHttpException(StatusCodes.Status500InternalServerError, OperationOutcome.IssueType.Exception, "An unexpected error occurred."),
    };

    private static FhirHttpException Unavailable() =>
        new(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, "The database is unavailable; retry later.");

    private static string FirstProblem(DeserializationFailedException e) =>
        e.Exceptions.FirstOrDefault()?.Message is { } first
            ? $"The FHIR resource could not be parsed: {first}"
            : "The FHIR resource could not be parsed.";

    [LoggerMessage(EventId = 9000, Level = LogLevel.Error, Message = "Unhandled {ExceptionType} (correlation id {CorrelationId}) at {StackTrace}")]
    private static partial void LogUnhandled(ILogger logger, string exceptionType, string correlationId, string? stackTrace);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Warning, Message = "Storage unavailable ({ExceptionType}) serving {Surface}; answered 503")]
    private static partial void LogStorageUnavailable(ILogger logger, string exceptionType, ApiSurface surface);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Debug, Message = "Request {Method} to {Surface} aborted by the client")]
    private static partial void LogRequestAborted(ILogger logger, string method, ApiSurface surface);
}
