using System.Text.Json;

namespace SpinePolicy.Storage.Auditing;

/// <summary>
/// Which members one request concerned and which decisions it produced, for its audit record.
/// Endpoints marked <see cref="ReportsOwnAuditSubjects"/> name them as they go (they have parsed
/// the request already); for every other endpoint the audit scans the request and response JSON
/// without knowing any slice's types: patient references and Patient resources, the CDS Hooks
/// context's patientId, ClaimResponses and CRD coverage-assertion ids.
/// </summary>
public sealed class AuditSubjects
{
    private const int MaxDepth = 48;
    private const int MaxItems = 50;

    public HashSet<string> PatientIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DecisionReferences { get; } = new(StringComparer.Ordinal);

    public HashSet<string> CoverageAssertionIds { get; } = new(StringComparer.Ordinal);

    public void AddPatient(string? id)
    {
        if (id is not null && PatientIds.Count < MaxItems && id.Length is > 0 and <= 64)
        {
            PatientIds.Add(Storable(id));
        }
    }

    /// <summary>A literal reference such as "Patient/123" or "https://ehr/fhir/Patient/123/_history/2".</summary>
    public void AddPatientReference(string? reference)
    {
        var at = reference?.LastIndexOf("Patient/", StringComparison.Ordinal) ?? -1;
        if (at >= 0 && (at == 0 || reference![at - 1] == '/'))
        {
            var rest = reference![(at + "Patient/".Length)..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            AddPatient(slash < 0 ? rest : rest[..slash]);
        }
    }

    /// <summary>A decision the request produced or returned, e.g. "ClaimResponse/123".</summary>
    public void AddDecision(string reference)
    {
        if (DecisionReferences.Count < MaxItems)
        {
            DecisionReferences.Add(reference);
        }
    }

    public void AddCoverageAssertion(string? assertionId)
    {
        if (!string.IsNullOrEmpty(assertionId) && CoverageAssertionIds.Count < MaxItems)
        {
            CoverageAssertionIds.Add(Storable(assertionId));
        }
    }

    /// <summary>
    /// A value the caller sent, with control characters replaced by U+FFFD: PostgreSQL refuses a NUL
    /// in text, and one refused record would set aside its whole batch, other callers' records
    /// with it. The exact query stays in the record's entity.query bytes. The agent's issuer and
    /// client id (a CDS Hooks JWT's "sub", which the EHR mints) go through it too.
    /// </summary>
    public static string Storable(string value) =>
        value.Any(char.IsControl) ? string.Concat(value.Select(c => char.IsControl(c) ? '\uFFFD' : c)) : value;

    /// <summary>Scans JSON; anything that is not JSON is ignored (it was rejected anyway).</summary>
    public void AddFromJson(ReadOnlyMemory<byte> json)
    {
        if (json.IsEmpty)
        {
            return;
        }

        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            Walk(document.RootElement, 0);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Malformed JSON or invalid UTF-8 in a string: the endpoint rejected it; no member to name.
        }
    }

    private void Walk(JsonElement element, int depth)
    {
        if (depth > MaxDepth)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, depth + 1);
            }

            return;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        var resourceType = element.TryGetProperty("resourceType", out var rt) && rt.ValueKind == JsonValueKind.String ? rt.GetString() : null;
        var id = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString() : null;
        if (id is not null && resourceType == "Patient")
        {
            AddPatient(id);
        }
        else if (id is not null && resourceType == "ClaimResponse")
        {
            AddDecision($"ClaimResponse/{id}");
        }

        foreach (var property in element.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.String)
            {
                Inspect(property.Name, value.GetString()!, element);
            }
            else
            {
                Walk(value, depth + 1);
            }
        }
    }

    private void Inspect(string name, string value, JsonElement owner)
    {
        switch (name)
        {
            case "patientId":
                AddPatient(value);
                break;
            case "reference":
                AddPatientReference(value);
                break;
            case "valueString" when owner.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                && url.GetString() == "coverage-assertion-id":
                AddCoverageAssertion(value);
                break;
        }
    }
}
