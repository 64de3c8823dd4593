using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// THE reader of FHIR request bodies, for every /fhir endpoint that takes one: JSON or XML by
/// Content-Type (as the CapabilityStatement promises), parsed strictly by Firely. Each refusal says
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
        // No Content-Type at all is read as JSON (the common case of a bare curl); a Content-Type
        // that names something else is refused rather than guessed at.
        var format = request.ContentType is null
            ? FhirFormat.Json
            : FhirMediaTypes.FromContentType(request.ContentType)
                ?? throw FhirHttpException.NotSupported(StatusCodes.Status415UnsupportedMediaType,
                    $"Content-Type '{request.ContentType}' is not accepted; send {FhirMediaTypes.Json} or {FhirMediaTypes.Xml}.");

        using var buffer = new MemoryStream(request.ContentLength is > 0 and < 1 << 24 ? (int)request.ContentLength : 4096);
        await request.Body.CopyToAsync(buffer, cancellationToken);
        return FhirWire.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), format);
    }
}
