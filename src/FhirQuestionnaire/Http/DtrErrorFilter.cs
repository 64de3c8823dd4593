using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirQuestionnaire.Http;

/// <summary>
/// The one place where the DTR endpoints turn errors into OperationOutcomes: bad FHIR input → 400,
/// a request the operation refuses → its 4xx, an unreachable database → 503. Never a stack trace.
/// </summary>
public sealed class DtrErrorFilter(ILogger<DtrErrorFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var endpoint = context.HttpContext.GetEndpoint()?.DisplayName ?? "DTR";
        try
        {
            return await next(context);
        }
        catch (FhirInputException ex)
        {
            DtrLog.RequestRejected(logger, endpoint, StatusCodes.Status400BadRequest);
            return new FhirResourceResult(OperationOutcomes.Error(OperationOutcome.IssueType.Invalid, ex.Message), StatusCodes.Status400BadRequest);
        }
        catch (DtrRequestException ex)
        {
            DtrLog.RequestRejected(logger, endpoint, ex.StatusCode);
            return new FhirResourceResult(new OperationOutcome { Issue = ex.Issues.ToList() }, ex.StatusCode);
        }
        catch (StorageUnavailableException)
        {
            DtrLog.StorageUnavailable(logger, endpoint);
            context.HttpContext.Response.Headers.RetryAfter = "5";
            return new FhirResourceResult(OperationOutcomes.Error(OperationOutcome.IssueType.Transient, "The database is unavailable; retry shortly."), StatusCodes.Status503ServiceUnavailable);
        }
    }
}
