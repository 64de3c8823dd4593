using System.Collections.Concurrent;
using System.Text.Json;

namespace SpinePolicy.TestKit.Logging;

/// <summary>
/// The patient data a test server has been sent: names, birth dates and identifiers of every
/// Patient, and member ids (subscriberId, identifiers) of every Coverage, wherever they sit in a
/// request (a CDS Hooks prefetch, a PAS Bundle, $member-match Parameters …). Tests may add values
/// the server saw by other routes (e.g. from the EHR's FHIR server).
/// </summary>
public sealed class PhiSightings
{
    private const int MinimumLength = 3;

    // A short number (a fuzzed identifier "123") also appears in timings and counts ("123.5 ms");
    // real member ids and MRNs are longer. Found as a false finding in a 10,000-input fuzz run.
    private const int MinimumNumericLength = 6;
    private readonly ConcurrentDictionary<string, PhiValue> _values = new(StringComparer.Ordinal);

    public IReadOnlyCollection<PhiValue> Values => (IReadOnlyCollection<PhiValue>)_values.Values;

    public void Add(string kind, string? value)
    {
        if (value is { Length: >= MinimumLength } && !string.IsNullOrWhiteSpace(value)
            && (value.Length >= MinimumNumericLength || !value.All(c => char.IsDigit(c) || char.IsPunctuation(c))))
        {
            _values.TryAdd(value, new PhiValue(kind, value));
        }
    }

    public void AddFromJson(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            using var document = JsonDocument.ParseValue(ref reader);
            Walk(document.RootElement, 0);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Not JSON (or not UTF-8): nothing the server could have understood as a patient.
        }
    }

    private void Walk(JsonElement element, int depth)
    {
        if (depth > 200)
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

        if (element.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String)
        {
            switch (type.GetString())
            {
                case "Patient":
                    AddPatient(element);
                    break;
                case "Coverage":
                    AddString("member id", element, "subscriberId");
                    AddIdentifiers("member id", element);
                    break;
            }
        }

        foreach (var property in element.EnumerateObject())
        {
            Walk(property.Value, depth + 1);
        }
    }

    private void AddPatient(JsonElement patient)
    {
        AddString("birth date", patient, "birthDate");
        AddIdentifiers("patient identifier", patient);
        if (patient.TryGetProperty("name", out var names) && names.ValueKind == JsonValueKind.Array)
        {
            foreach (var name in names.EnumerateArray().Where(n => n.ValueKind == JsonValueKind.Object))
            {
                AddString("family name", name, "family");
                AddString("name", name, "text");
                if (name.TryGetProperty("given", out var given) && given.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in given.EnumerateArray().Where(g => g.ValueKind == JsonValueKind.String))
                    {
                        Add("given name", part.GetString());
                    }
                }
            }
        }
    }

    private void AddIdentifiers(string kind, JsonElement resource)
    {
        if (resource.TryGetProperty("identifier", out var identifiers) && identifiers.ValueKind == JsonValueKind.Array)
        {
            foreach (var identifier in identifiers.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object))
            {
                AddString(kind, identifier, "value");
            }
        }
    }

    private void AddString(string kind, JsonElement owner, string property)
    {
        if (owner.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String)
        {
            Add(kind, value.GetString());
        }
    }
}
