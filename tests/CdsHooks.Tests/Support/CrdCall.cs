using System.Net;
using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>A hook call's HTTP outcome, with readers for the parts tests assert on.</summary>
public sealed class CrdCall
{
    private CrdCall(HttpStatusCode status, string body, HttpResponseMessage response)
    {
        Status = status;
        Body = body;
        Headers = response.Headers;
        Json = body.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.Ordinal) ?? false)
            ? JsonDocument.Parse(body).RootElement.Clone()
            : default;
    }

    public HttpStatusCode Status { get; }

    public string Body { get; }

    public System.Net.Http.Headers.HttpResponseHeaders Headers { get; }

    public JsonElement Json { get; }

    public static async Task<CrdCall> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(), response);

    public IReadOnlyList<JsonElement> Cards => Json.GetProperty("cards").EnumerateArray().ToList();

    public IReadOnlyList<JsonElement> SystemActions => Json.GetProperty("systemActions").EnumerateArray().ToList();

    /// <summary>The resources of the system actions, parsed strictly by Firely (so they must be valid FHIR JSON).</summary>
    public IReadOnlyList<DomainResource> UpdatedResources =>
        SystemActions.Select(a => (DomainResource)FhirJson.ParseElement(a.GetProperty("resource"))).ToList();

    /// <summary>The coverage-information of the updated resource with this id.</summary>
    public CoverageInfo CoverageInfoFor(string resourceId)
    {
        return CoverageInfo.Read(UpdatedResource(resourceId)).Single();
    }

    /// <summary>The resource with this id among the system actions, parsed strictly (the others are not read).</summary>
    public DomainResource UpdatedResource(string resourceId)
    {
        var action = SystemActions.Single(a => a.GetProperty("resource").TryGetProperty("id", out var id) && id.GetString() == resourceId);
        return (DomainResource)FhirJson.ParseElement(action.GetProperty("resource"));
    }

    public IReadOnlyList<string> CardTopics => Cards.Select(c => c.GetProperty("source").GetProperty("topic").GetProperty("code").GetString()!).ToList();

    public IReadOnlyList<string> CardSummaries => Cards.Select(c => c.GetProperty("summary").GetString()!).ToList();

    public string? Error => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("error", out var e) ? e.GetString() : null;

    public string? Message => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("message", out var m) ? m.GetString() : null;

    public OperationOutcome? Outcome => Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("operationOutcome", out var o)
        ? (OperationOutcome)FhirJson.ParseElement(o)
        : null;

    public override string ToString() => $"{(int)Status} {Body}";
}
