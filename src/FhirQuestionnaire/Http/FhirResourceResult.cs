using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;

namespace SpinePolicy.FhirQuestionnaire.Http;

/// <summary>A FHIR resource as the response body (application/fhir+json) with a status code.</summary>
public sealed class FhirResourceResult(Resource resource, int statusCode = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult
{
    public const string ContentType = "application/fhir+json; charset=utf-8";

    public Resource Resource { get; } = resource;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public async System.Threading.Tasks.Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCode;
        httpContext.Response.ContentType = ContentType;
        await httpContext.Response.Body.WriteAsync(FhirJson.SerializeToUtf8Bytes(Resource), httpContext.RequestAborted);
    }
}
