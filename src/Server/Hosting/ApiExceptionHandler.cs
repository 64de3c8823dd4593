using System.Data.Common;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using OperationOutcome = Hl7.Fhir.Model.OperationOutcome;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Diagnostics;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// The one place an exception becomes an HTTP answer. Input problems are 4xx with a message the
/// caller can act on; storage conflicts and outages get their HTTP meaning; anything else is a 500
/// carrying only a correlation id. Stack traces never leave the process, and exception messages of
/// unknown exceptions are not logged either (they may quote request data), and
/// paths are not logged (they may hold resource ids).
/// </summary>
public sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <summary>Seconds a client should wait before retrying when the database is unavailable.</summary>
    public const int StorageRetryAfterSeconds = 5;

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var surface = ApiSurfaces.Of(httpContext.Request.Path);
        if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The caller went away; there is nobody to answer.
            LogRequestAborted(logger, httpContext.Request.Method, surface);
            return true;
        }

        var (status, issue, message) = Classify(exception);
        if (status >= 500 && status != StatusCodes.Status503ServiceUnavailable)
        {
            var correlationId = Activity.Current?.TraceId.ToString() ?? httpContext.TraceIdentifier;
            LogUnhandled(logger, exception.GetType().FullName ?? exception.GetType().Name, correlationId, exception.StackTrace);
            message = $"An unexpected error occurred. Correlation id: {correlationId}.";
        }
        else if (status == StatusCodes.Status503ServiceUnavailable)
        {
            LogStorageUnavailable(logger, exception.GetType().Name, surface);
            httpContext.Response.Headers.RetryAfter = StorageRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        await ApiErrorWriter.WriteAsync(httpContext, status, message, issue);
        return true;
    }

    /// <summary>The status, FHIR issue type and caller-facing message for an exception.</summary>
    public static (int Status, OperationOutcome.IssueType Issue, string Message) Classify(Exception exception) => exception switch
    {
        FhirInputException e => (400, OperationOutcome.IssueType.Invalid, e.Message),
        DeserializationFailedException e => (400, OperationOutcome.IssueType.Structure, FirstProblem(e)),
        JsonException e => (400, OperationOutcome.IssueType.Structure, $"The request body is not valid JSON: {e.Message}"),
        DecoderFallbackException => (400, OperationOutcome.IssueType.Structure, "The request body is not valid UTF-8."),

        // System.Text.Json validates UTF-8 inside strings only when a string is read.
        InvalidOperationException { InnerException: DecoderFallbackException } => (400, OperationOutcome.IssueType.Structure, "The request body is not valid UTF-8."),

        BadHttpRequestException { StatusCode: 413 } => (413, OperationOutcome.IssueType.TooCostly, "The request body is larger than this endpoint accepts."),
        BadHttpRequestException e => (e.StatusCode is >= 400 and < 500 ? e.StatusCode : 400, OperationOutcome.IssueType.Invalid, e.Message),
        VersionConflictException e => (412, OperationOutcome.IssueType.Conflict, e.Message),
        DuplicateKeyException e => (409, OperationOutcome.IssueType.Duplicate, e.Message),
        StorageUnavailableException => (503, OperationOutcome.IssueType.Transient, "The database is unavailable; retry later."),

        // A driver error that escaped the store: the database could not complete the request.
        DbException => (503, OperationOutcome.IssueType.Transient, "The database is unavailable; retry later."),
        _ => (500, OperationOutcome.IssueType.Exception, "An unexpected error occurred."),
    };

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
