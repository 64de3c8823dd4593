using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Submission;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Http;

/// <summary>The one place where this slice turns failures into an HTTP status and one OperationOutcome.</summary>
public static class PasErrors
{
    public static async Task<FhirResult> HandleAsync(Func<Task<FhirResult>> action)
    {
        try
        {
            return await action();
        }
        catch (PasRequestException ex)
        {
            return FhirResult.Outcome(ex.Unprocessable ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status400BadRequest, ex.IssueType, ex.Message, ex.Expression);
        }
        catch (FhirInputException ex)
        {
            return FhirResult.Outcome(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, ex.Message);
        }
        catch (VersionConflictException)
        {
            return FhirResult.Outcome(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Conflict, "The ClaimResponse was changed by someone else meanwhile; read it again and repeat the decision.");
        }
        catch (StorageUnavailableException)
        {
            return FhirResult.Outcome(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, "The database is unavailable; nothing was recorded. Retry later.");
        }
    }
}
