using System.Text.Json;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>A request body as <see cref="FhirRequestBody.ReadContentAsync"/> read it: JSON left as JSON, or an XML body's resource.</summary>
public sealed record FhirRequestContent(JsonDocument? Json, Resource? Parsed) : IDisposable
{
    public void Dispose() => Json?.Dispose();
}
