using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirRest.Smart;

/// <summary>
/// GET /fhir/.well-known/smart-configuration: where a SMART client gets tokens for this API. Open,
/// like the CapabilityStatement. Without a configured authorization server there is nothing true
/// to say, so the answer is 404 rather than a document naming no token endpoint.
/// </summary>
internal static class SmartConfigurationEndpoint
{
    public const string Path = "/.well-known/smart-configuration";

    public static void Map(RouteGroupBuilder fhir) =>
        fhir.MapGet(Path, (IOptions<SmartAuthorizationServerOptions> options) =>
            options.Value.IsConfigured
                ? Results.Json(SmartConfiguration.For(options.Value), contentType: "application/json")
                : (IResult)FhirResult.Error(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound,
                    $"No authorization server is configured for this FHIR API ({SmartAuthorizationServerOptions.SectionName})."));
}
