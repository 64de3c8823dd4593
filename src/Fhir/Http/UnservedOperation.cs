using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.Routing.Template;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// A call of an operation (<c>$name</c>) that no endpoint serves as it was made: at the system
/// level (<c>POST /fhir/$nope</c>), on a type (<c>POST /fhir/Claim/$nope</c>, <c>GET Claim/$submit</c>)
/// or on an instance (<c>POST /fhir/ClaimResponse/{id}/$nope</c>), by any method. Such a call used
/// to get whatever the route it fell to said — a 400 about the id, a 404 about a resource type
/// "$nope", routing's bare 405 "Method POST is not allowed here" — depending on the method. Now it
/// is one answer, an OperationOutcome with issue code not-supported: 405 naming the methods that do
/// invoke the operation at that path, else 404. <see cref="FhirConventionsFilter"/> gives it when
/// the call reached a route with the operation name where the type or id goes; the host's answer
/// to routing's own 404/405 gives it when no route matched.
/// </summary>
public static class UnservedOperation
{
    /// <summary>The operation a /fhir path ends in ("$nope"), or null when its last segment names none.</summary>
    public static string? NameIn(PathString path)
    {
        var trimmed = (path.Value ?? string.Empty).TrimEnd('/');
        var last = trimmed[(trimmed.LastIndexOf('/') + 1)..];
        return last.StartsWith('$') ? last : null;
    }

    /// <summary>The refusal for a call of <paramref name="operation"/> (e.g. "$submit") no endpoint serves as made.</summary>
    public static FhirHttpException Refusal(HttpContext http, string operation)
    {
        var segments = http.Request.Path.Value?.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];

        // Path segments after "fhir": the type, if any, comes right after it.
        var capabilities = http.RequestServices.GetService<FhirCapabilities>();
        if (segments.Length == 2
            && capabilities?.SystemOperations.FirstOrDefault(o => string.Equals("$" + o.Name, operation, StringComparison.Ordinal)) is { } system
            && MethodsServing(http, operation) is { Count: > 0 } systemMethods)
        {
            return FhirHttpException.NotSupported(StatusCodes.Status405MethodNotAllowed,
                $"${system.Name} is invoked with {string.Join(" or ", systemMethods)}, not {http.Request.Method} (OperationDefinition {system.Definition}).");
        }

        var type = segments.Length >= 3 ? capabilities?.Find(segments[1]) : null;
        var served = type?.Operations.FirstOrDefault(o => string.Equals("$" + o.Name, operation, StringComparison.Ordinal));
        if (type is null || served is null)
        {
            // Only names this server serves are echoed; anything else came from the caller.
            return FhirHttpException.NotSupported(StatusCodes.Status404NotFound, segments.Length <= 2
                ? "No system-level operation of that name is served; GET /fhir/metadata lists the operations served."
                : "No operation of that name is served on this type; GET /fhir/metadata lists the operations served.");
        }

        var methods = MethodsServing(http, operation);
        return methods.Count > 0
            ? FhirHttpException.NotSupported(StatusCodes.Status405MethodNotAllowed,
                $"{type.Type}/${served.Name} is invoked with {string.Join(" or ", methods)}, not {http.Request.Method} (OperationDefinition {served.Definition}).")
            : FhirHttpException.NotSupported(StatusCodes.Status404NotFound,
                $"{type.Type}/${served.Name} is not served at this level (system, type or instance); OperationDefinition {served.Definition} says how it is invoked.");
    }

    /// <summary>The methods of the endpoints mapped for this operation at this very path (empty: none is).</summary>
    private static List<string> MethodsServing(HttpContext http, string operation)
    {
        var endpoints = http.RequestServices.GetService<EndpointDataSource>()?.Endpoints ?? [];
        var methods = new List<string>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern;
            if (pattern.PathSegments.Count == 0
                || pattern.PathSegments[^1].Parts is not [RoutePatternLiteralPart { Content: var last }]
                || !string.Equals(last, operation, StringComparison.Ordinal)
                || !new TemplateMatcher(new RouteTemplate(pattern), new RouteValueDictionary()).TryMatch(http.Request.Path, new RouteValueDictionary()))
            {
                continue;
            }

            methods.AddRange(endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []);
        }

        return [.. methods.Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)];
    }
}
