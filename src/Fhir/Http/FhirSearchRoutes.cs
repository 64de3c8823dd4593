using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Maps a search the way FHIR defines it, twice: <c>GET [type]?params</c> and
/// <c>POST [type]/_search</c> with the parameters in a form body (and/or the query). The handler
/// reads the parameters of either through <see cref="ParametersAsync"/>.
/// </summary>
public static class FhirSearchRoutes
{
    public static IEndpointConventionBuilder MapFhirSearch(this IEndpointRouteBuilder group, string typePattern, Delegate handler)
    {
        var get = group.MapGet(typePattern, handler).WithMetadata(FhirSearchEndpoint.Instance);
        var post = group.MapPost(typePattern + "/_search", handler).WithMetadata(FhirSearchEndpoint.Instance);
        return new BothConventions(get, post);
    }

    /// <summary>The search parameters of this request: the query, plus the form body of a POST _search.</summary>
    public static async Task<IReadOnlyList<KeyValuePair<string, StringValues>>> ParametersAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = request.Query.ToList();
        if (HttpMethods.IsPost(request.Method))
        {
            if (!request.HasFormContentType)
            {
                throw FhirHttpException.NotSupported(StatusCodes.Status415UnsupportedMediaType,
                    "POST [type]/_search takes its parameters as application/x-www-form-urlencoded.");
            }

            var form = await request.ReadFormAsync(cancellationToken);
            parameters.AddRange(form);
            FhirResponseShape.Use(request.HttpContext, form);
        }

        return parameters;
    }

    private sealed class BothConventions(IEndpointConventionBuilder first, IEndpointConventionBuilder second) : IEndpointConventionBuilder
    {
        public void Add(Action<EndpointBuilder> convention)
        {
            first.Add(convention);
            second.Add(convention);
        }

        public void Finally(Action<EndpointBuilder> finallyConvention)
        {
            first.Finally(finallyConvention);
            second.Finally(finallyConvention);
        }
    }
}
