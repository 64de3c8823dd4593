using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Http;

/// <summary>
/// A FHIR response: a resource in the negotiated format with its status and headers. Every /fhir
/// handler of this slice returns one, so errors and successes leave by the same door.
/// </summary>
public sealed class FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK) : IResult, IStatusCodeHttpResult
{
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);

    public Resource Resource { get; } = resource;

    public int StatusCode { get; } = statusCode;

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    public static FhirResult Ok(Resource resource) => new(resource);

    public static FhirResult Error(int statusCode, OperationOutcome.IssueType issueType, string message) =>
        new(OperationOutcomes.Error(issueType, message), statusCode);

    public FhirResult WithHeader(string name, string value)
    {
        _headers[name] = value;
        return this;
    }

    /// <summary>ETag (weak, as FHIR versions are), Last-Modified and, when asked, Location from the stored version.</summary>
    public FhirResult WithVersionHeaders(string versionId, DateTimeOffset lastUpdated) =>
        WithHeader("ETag", $"W/\"{versionId}\"").WithHeader("Last-Modified", lastUpdated.ToUniversalTime().ToString("R"));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        // An unknown _format still gets an answer we can be sure the caller can read: JSON.
        var format = FhirFormats.ForResponse(httpContext.Request) ?? FhirFormat.Json;
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        response.ContentType = FhirWire.MediaType(format) + "; charset=utf-8";
        await response.Body.WriteAsync(FhirWire.Serialize(Resource, format), httpContext.RequestAborted);
    }
}
