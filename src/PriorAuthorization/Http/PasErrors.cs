using Microsoft.AspNetCore.Http;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Http;

/// <summary>
/// Turns this slice's own refusals (<see cref="PasRequestException"/>: 400 or 422 with the element at
/// fault) into one OperationOutcome. Everything else (unparseable FHIR, storage conflicts and
/// outages) goes to the host's single exception handler.
/// </summary>
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
    }
}
