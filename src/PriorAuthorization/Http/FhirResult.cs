using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;

namespace SpinePolicy.PriorAuthorization.Http;

/// <summary>A FHIR resource written with the shared serializer as application/fhir+json.</summary>
public sealed class FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK, string? location = null) : IResult, IStatusCodeHttpResult
{
    public Resource Resource { get; } = resource;

    public int? StatusCode { get; } = statusCode;

    public async System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode ?? StatusCodes.Status200OK;
        httpContext.Response.ContentType = "application/fhir+json; charset=utf-8";
        if (location is not null)
        {
            httpContext.Response.Headers.Location = location;
        }

        await httpContext.Response.Body.WriteAsync(FhirJson.SerializeToUtf8Bytes(Resource), httpContext.RequestAborted);
    }

    public static FhirResult Outcome(int statusCode, OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        new(OperationOutcomes.Error(code, diagnostics, expression), statusCode);
}
