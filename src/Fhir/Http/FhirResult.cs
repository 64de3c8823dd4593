using System.Buffers;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// THE FHIR answer of every /fhir endpoint: a resource, its status and headers, written in the
/// negotiated format (<see cref="FhirResponseShape"/>) and subset (<c>_summary</c>, <c>_elements</c>).
/// Answers to a create or update honour <c>Prefer: return=minimal|representation|OperationOutcome</c>.
/// </summary>
public sealed class FhirResult : IResult, IStatusCodeHttpResult, IValueHttpResult
{
    // The tags Firely's serializer puts on what a filter subsets, the R4 system's and the STU3
    // one's, each only where missing. Ours are the same two, so that nothing is tagged twice; Firely
    // does not tag a Bundle at the root, nor (it was seen) a searchset's entries, hence ours.
    private static readonly Coding[] Subsetted =
    [
        new("http://terminology.hl7.org/CodeSystem/v3-ObservationValue", "SUBSETTED"),
        new("http://hl7.org/fhir/v3/ObservationValue", "SUBSETTED"),
    ];
    private readonly Dictionary<string, string> _headers = new(StringComparer.OrdinalIgnoreCase);
    private bool _isWrite;

    public FhirResult(Resource resource, int statusCode = StatusCodes.Status200OK)
    {
        Resource = resource;
        StatusCode = statusCode;
    }

    public Resource Resource { get; }

    public int StatusCode { get; }

    int? IStatusCodeHttpResult.StatusCode => StatusCode;

    object? IValueHttpResult.Value => Resource;

    public static FhirResult Ok(Resource resource) => new(resource);

    /// <summary>The answer to a create: 201 with Location (and Prefer honoured).</summary>
    public static FhirResult Created(Resource resource, string location) =>
        new FhirResult(resource, StatusCodes.Status201Created) { _isWrite = true }.WithHeader("Location", location);

    /// <summary>The answer to an update or a conditional create that found its match (Prefer honoured).</summary>
    public static FhirResult Written(Resource resource) => new(resource) { _isWrite = true };

    /// <summary>An OperationOutcome with one error issue, for a refusal returned rather than thrown.</summary>
    public static FhirResult Error(int statusCode, OperationOutcome.IssueType issueType, string message, string? expression = null) =>
        new(OperationOutcomes.Error(issueType, message, expression), statusCode);

    public FhirResult WithHeader(string name, string value)
    {
        _headers[name] = value;
        return this;
    }

    /// <summary>ETag (weak, as FHIR versions are) and Last-Modified from the stored version.</summary>
    public FhirResult WithVersionHeaders(string versionId, DateTimeOffset lastUpdated) =>
        WithHeader("ETag", $"W/\"{versionId}\"").WithHeader("Last-Modified", lastUpdated.ToUniversalTime().ToString("R"));

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = StatusCode;
        foreach (var (name, value) in _headers)
        {
            response.Headers[name] = value;
        }

        var isError = StatusCode >= 400;
        var shape = isError ? FhirResponseShape.Default with { Format = FhirResponseShape.ErrorFormat(httpContext) } : FhirResponseShape.Of(httpContext);
        var resource = Resource;
        if (_isWrite)
        {
            switch (FhirPrefer.Return(httpContext.Request))
            {
                case FhirReturnPreference.Minimal:
                    response.Headers["Preference-Applied"] = "return=minimal";
                    return;
                case FhirReturnPreference.OperationOutcome:
                    response.Headers["Preference-Applied"] = "return=OperationOutcome";
                    resource = WriteOutcome(resource);
                    shape = shape with { Summary = Hl7.Fhir.Rest.SummaryType.False, Elements = null };
                    break;
            }
        }

        var searchBundle = resource is Bundle { Type: Bundle.BundleType.Searchset };
        var filter = isError ? null : shape.Filter(searchBundle);
        if (filter is not null)
        {
            resource = TagSubsetted(resource, searchBundle);
        }

        response.ContentType = FhirMediaTypes.Of(shape.Format) + "; charset=utf-8";
        var pieces = FhirWire.SerializeInPieces(resource, shape.Format, filter);
        response.ContentLength = pieces.Sum(piece => (long)piece.Length);
        foreach (var piece in pieces)
        {
            response.BodyWriter.Write(piece.Span);
        }

        await response.BodyWriter.FlushAsync(httpContext.RequestAborted);
    }

    private static OperationOutcome WriteOutcome(Resource written) =>
        OperationOutcomes.Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational,
            $"{written.TypeName}/{written.Id} saved as version {written.Meta?.VersionId ?? "1"}.");

    /// <summary>A copy (never the caller's instance, which may be shared) with the SUBSETTED tag FHIR asks for.</summary>
    private static Resource TagSubsetted(Resource resource, bool searchBundle)
    {
        var copy = (Resource)resource.DeepCopy();
        IEnumerable<Resource> subsetted = searchBundle ? ((Bundle)copy).Entry.Select(e => e.Resource).OfType<Resource>() : [copy];
        foreach (var item in subsetted)
        {
            item.Meta ??= new Meta();
            foreach (var tag in Subsetted)
            {
                if (!item.Meta.Tag.Any(t => t.System == tag.System && t.Code == tag.Code))
                {
                    item.Meta.Tag.Add((Coding)tag.DeepCopy());
                }
            }
        }

        return copy;
    }
}
