using Hl7.Fhir.Rest;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

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

        if (context.HttpContext.Request.RouteValues.TryGetValue("id", out var id) && id is string given && !FhirIds.IsValid(given))
        {
            if (given.StartsWith('$'))
            {
                // "GET Claim/$submit" reached the read route: the caller meant an operation, so say
                // what is wrong with the call rather than that "$submit" is a bad id.
                throw OperationCalledWrongly(context.HttpContext, given);
            }

            // The id is not echoed: it came from the caller, who knows what was sent.
            throw FhirHttpException.BadRequest("The id in the path is not a valid FHIR id: 1 to 64 of A–Z, a–z, 0–9, '-' and '.'.");
        }

        return next(context);
    }

    /// <summary>
    /// A type-level operation name where an id goes: an operation this type serves, reached with a
    /// method it does not take (405: every operation served only by GET has its own GET route, so
    /// this one is invoked by POST), or an operation the type does not serve (404, not-supported).
    /// </summary>
    private static FhirHttpException OperationCalledWrongly(HttpContext http, string operation)
    {
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var type = segments.Length >= 2 ? http.RequestServices.GetService<FhirCapabilities>()?.Find(segments[^2]) : null;
        var served = type?.Operations.FirstOrDefault(o => string.Equals("$" + o.Name, operation, StringComparison.Ordinal));

        // Only names this server serves are echoed; anything else came from the caller.
        return type is null || served is null
            ? FhirHttpException.NotSupported(StatusCodes.Status404NotFound, "No operation of that name is served on this type; GET /fhir/metadata lists the operations served.")
            : FhirHttpException.NotSupported(StatusCodes.Status405MethodNotAllowed, $"{type.Type}/${served.Name} is invoked with POST, not {http.Request.Method} (OperationDefinition {served.Definition}).");
    }
}
