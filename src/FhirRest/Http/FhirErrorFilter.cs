using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Http;

/// <summary>
/// The one place this slice turns failures into OperationOutcomes: bad input 4xx, stale versions
/// 412, an unreachable database 503 with Retry-After. Nothing escapes as a 500 with a stack trace.
/// </summary>
public sealed partial class FhirErrorFilter(ILogger<FhirErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        if (FhirFormats.ForResponse(context.HttpContext.Request) is null)
        {
            return FhirResult.Error(StatusCodes.Status406NotAcceptable, OperationOutcome.IssueType.NotSupported,
                "_format must be json or xml (application/fhir+json or application/fhir+xml).");
        }

        try
        {
            return await next(context);
        }
        catch (FhirHttpException ex)
        {
            return FhirResult.Error(ex.StatusCode, ex.IssueType, ex.Message);
        }
        catch (FhirInputException ex)
        {
            return FhirResult.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, ex.Message);
        }
        catch (InvalidSearchException ex)
        {
            return FhirResult.Error(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, ex.Message);
        }
        catch (VersionConflictException)
        {
            return FhirResult.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict,
                "The resource was changed since the version named in If-Match; read it again and retry.");
        }
        catch (DuplicateKeyException)
        {
            return FhirResult.Error(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Duplicate,
                "A matching resource was created concurrently; retry the conditional create.");
        }
        catch (StorageUnavailableException ex)
        {
            LogStorageUnavailable(logger, ex.GetType().Name);
            return FhirResult.Error(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient,
                    "The database is unavailable; retry later.")
                .WithHeader("Retry-After", "5");
        }
        catch (BadHttpRequestException ex)
        {
            return FhirResult.Error(ex.StatusCode, OperationOutcome.IssueType.Invalid, "The request could not be read: " + ex.Message);
        }
    }

    [LoggerMessage(EventId = 5101, Level = LogLevel.Warning, Message = "FHIR request failed: storage unavailable ({ExceptionType})")]
    private static partial void LogStorageUnavailable(ILogger logger, string exceptionType);
}
