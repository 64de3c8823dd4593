using SpinePolicy.Fhir.Http;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// The host's /fhir route group: every slice maps its FHIR endpoints into it, so every one of them
/// runs behind the same conventions (<see cref="FhirConventionsFilter"/>: format negotiation,
/// _summary/_elements) and answers through the same result type and error mapper.
/// </summary>
internal static class FhirApi
{
    public static RouteGroupBuilder MapFhirApi(this IEndpointRouteBuilder app) =>
        app.MapGroup("/fhir").AddEndpointFilter(new FhirConventionsFilter());
}
