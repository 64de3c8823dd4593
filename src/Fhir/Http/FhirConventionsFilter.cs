using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Runs before every /fhir endpoint (the host puts it on the /fhir route group): works out the
/// answer's shape once (<see cref="FhirResponseShape"/>), so that an unsupported <c>_format</c> or
/// Accept is a 406 and a malformed <c>_summary</c>/<c>_elements</c> a 400 before any work is done.
/// </summary>
public sealed class FhirConventionsFilter : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var shape = FhirResponseShape.Of(context.HttpContext);
        if (shape.Summary == SummaryType.Count && context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<FhirSearchEndpoint>() is null)
        {
            throw FhirHttpException.BadRequest("_summary=count applies to searches only.");
        }

        return next(context);
    }
}
