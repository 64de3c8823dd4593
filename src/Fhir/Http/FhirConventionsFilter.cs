using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Runs before every /fhir endpoint (the host puts it on the /fhir route group): works out the
/// answer's shape once (<see cref="FhirResponseShape"/>), so that an unsupported <c>_format</c> or
/// Accept is a 406 and a malformed <c>_summary</c>/<c>_elements</c> a 400 before any work is done;
/// and checks a logical id in the path (<c>{id}</c>) once for every type, so that an id no FHIR
/// resource can have is the same 400 everywhere, not a 404 on the types that look it up anyway.
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

        // "POST /fhir/$nope" reached the create route, "GET /fhir/$nope" the search: an operation
        // was meant, not a resource type of that name.
        if (context.HttpContext.Request.RouteValues.TryGetValue("type", out var type) && type is string typeName && typeName.StartsWith('$'))
        {
            throw UnservedOperation.Refusal(context.HttpContext, typeName);
        }

        if (context.HttpContext.Request.RouteValues.TryGetValue("id", out var id) && id is string given && !FhirIds.IsValid(given))
        {
            if (given.StartsWith('$'))
            {
                // "GET Claim/$submit" reached the read route: the caller meant an operation, so say
                // what is wrong with the call rather than that "$submit" is a bad id.
                throw UnservedOperation.Refusal(context.HttpContext, given);
            }

            // The id is not echoed: it came from the caller, who knows what was sent.
            throw FhirHttpException.BadRequest("The id in the path is not a valid FHIR id: 1 to 64 of A–Z, a–z, 0–9, '-' and '.'.");
        }

        return next(context);
    }
}
