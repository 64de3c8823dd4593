using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// THE reader of FHIR request bodies, for every /fhir endpoint that takes one: JSON or XML by
/// Content-Type (as the CapabilityStatement promises), parsed strictly by Firely — or, for an
/// endpoint that reads only a few elements (<see cref="ReadContentAsync"/>), a JSON body left as JSON. Each refusal says
/// precisely what is wrong: 415 for a Content-Type that is not FHIR, 400 for an empty body, bad
/// UTF-8, bad syntax, an invalid element (named) or a resource of the wrong type.
/// </summary>
public static class FhirRequestBody
{
    public static async Task<T> ReadAsync<T>(HttpRequest request, CancellationToken cancellationToken) where T : Resource
    {
        var resource = await ReadAsync(request, cancellationToken);
        return resource as T
            ?? throw FhirHttpException.BadRequest($"The request body is a {resource.TypeName}; this endpoint takes a {typeof(T).Name}.");
    }

    public static async Task<Resource> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, format) = await ReadBytesAsync(request, cancellationToken);
        return FhirWire.Parse(body.Span, format);
    }

    /// <summary>
    /// For an endpoint that reads only some elements of its body: a JSON body as a JSON document
    /// (checked as far as <see cref="ReadAsync(HttpRequest, CancellationToken)"/> checks it before
    /// Firely: not empty, UTF-8, JSON syntax), an XML body parsed whole by Firely.
    /// </summary>
    public static async Task<FhirRequestContent> ReadContentAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (body, format) = await ReadBytesAsync(request, cancellationToken);
        return format == FhirFormat.Json ? new FhirRequestContent(FhirWire.ParseJsonDocument(body), null) : new FhirRequestContent(null, FhirWire.Parse(body.Span, format));
    }

    private static async Task<(ReadOnlyMemory<byte> Body, FhirFormat Format)> ReadBytesAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // No Content-Type at all is read as JSON (the common case of a bare curl); a Content-Type
        // that names something else is refused rather than guessed at.
        var format = request.ContentType is null
            ? FhirFormat.Json
            : FhirMediaTypes.FromContentType(request.ContentType)
                ?? throw FhirHttpException.NotSupported(StatusCodes.Status415UnsupportedMediaType,
                    $"Content-Type '{request.ContentType}' is not accepted; send {FhirMediaTypes.Json} or {FhirMediaTypes.Xml}.");

        // A MemoryStream holds no unmanaged resource: its buffer is handed on without a copy.
        var buffer = new MemoryStream(request.ContentLength is > 0 and < 1 << 24 ? (int)request.ContentLength : 4096);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return (new ReadOnlyMemory<byte>(buffer.GetBuffer(), 0, (int)buffer.Length), format);
    }
}
