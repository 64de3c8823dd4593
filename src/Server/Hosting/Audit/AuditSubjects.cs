using System.Text.Json;

namespace SpinePolicy.Server.Hosting.Audit;

/// <summary>
/// Finds which members a request concerned and which decisions it produced, without knowing any
/// slice's types: patient references and Patient resources in the request and response JSON, the
/// CDS Hooks context's patientId, the search's patient parameter, ClaimResponses and CRD
/// coverage-assertion ids in the answer.
/// </summary>
public sealed class AuditSubjects
{
    private const int MaxDepth = 48;
    private const int MaxItems = 50;

    public HashSet<string> PatientIds { get; } = new(StringComparer.Ordinal);

    public HashSet<string> DecisionReferences { get; } = new(StringComparer.Ordinal);

    public HashSet<string> CoverageAssertionIds { get; } = new(StringComparer.Ordinal);

    public void AddFromQuery(IQueryCollection query)
    {
        foreach (var name in new[] { "patient", "subject", "beneficiary", "patient:Patient" })
        {
            foreach (var value in query[name])
            {
                if (!string.IsNullOrWhiteSpace(value))
                {
                    AddPatient(value.StartsWith("Patient/", StringComparison.Ordinal) ? value["Patient/".Length..] : value);
                }
            }
        }
    }

    public void AddPatient(string id)
    {
        if (PatientIds.Count < MaxItems && id.Length is > 0 and <= 64)
        {
            PatientIds.Add(id);
        }
    }

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
        else if (id is not null && resourceType == "ClaimResponse" && DecisionReferences.Count < MaxItems)
        {
            DecisionReferences.Add($"ClaimResponse/{id}");
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
                var at = value.LastIndexOf("Patient/", StringComparison.Ordinal);
                if (at >= 0 && (at == 0 || value[at - 1] == '/'))
                {
                    var rest = value[(at + "Patient/".Length)..];
                    var slash = rest.IndexOf('/', StringComparison.Ordinal);
                    AddPatient(slash < 0 ? rest : rest[..slash]);
                }

                break;
            case "valueString" when CoverageAssertionIds.Count < MaxItems
                && owner.TryGetProperty("url", out var url) && url.ValueKind == JsonValueKind.String
                && url.GetString() == "coverage-assertion-id":
                CoverageAssertionIds.Add(value);
                break;
        }
    }
}
