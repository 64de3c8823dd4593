using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Http;
using P = Hl7.Fhir.ElementModel.Types;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Reads chosen elements of one resource's JSON into Firely types, each as strictly as Firely's
/// parser would (complex elements go through Firely's own parser), for readers that use a few
/// elements of a resource and leave the rest unread (<see cref="OrderJsonReader"/>, the DTR package
/// request). An element that breaks FHIR R4 is left out and the first such is kept as the <see cref="Defect"/>,
/// and the first of each element as <see cref="DefectIn"/>, so that a reader can tell a defect in an
/// element that decides what the resource is (an order's code) from one in an element that does not.
/// </summary>
public sealed class ResourceElements(JsonElement json, string path)
{
    private Dictionary<string, ElementDefect>? _byElement;

    public ElementDefect? Defect { get; private set; }

    /// <summary>A defect found elsewhere (a contained resource's), counted as this resource's but as no element's.</summary>
    public void Note(ElementDefect? defect) => Defect ??= defect;

    /// <summary>The first defect in the element <paramref name="name"/> (an element of this resource, not of a nested one).</summary>
    public ElementDefect? DefectIn(string name) => _byElement?.GetValueOrDefault(name);

    /// <summary>A defect in the choice element <paramref name="name"/>[x], whichever type it was sent as (codeReference, codeFoo…).</summary>
    public ElementDefect? DefectInChoice(string name) =>
        _byElement?.FirstOrDefault(e => e.Key.Length > name.Length && e.Key.StartsWith(name, StringComparison.Ordinal)).Value;

    /// <summary>A defect at <paramref name="at"/>, a path under this resource's.</summary>
    public void Note(string message, string at)
    {
        var defect = new ElementDefect(message, at);
        Defect ??= defect;
        if (ElementOf(at) is { } element)
        {
            _byElement ??= new(StringComparer.Ordinal);
            _byElement.TryAdd(element, defect);
        }
    }

    /// <summary>"code" for "ServiceRequest.code.coding[0]"; null for a path not under this resource's.</summary>
    private string? ElementOf(string at)
    {
        if (at.Length <= path.Length + 1 || !at.StartsWith(path, StringComparison.Ordinal) || at[path.Length] != '.')
        {
            return null;
        }

        var rest = at.AsSpan(path.Length + 1);
        var end = rest.IndexOfAny('.', '[');
        return (end < 0 ? rest : rest[..end]).ToString();
    }

    public string? Id()
    {
        if (!json.TryGetProperty("id", out var id))
        {
            return null;
        }

        if (id.ValueKind == JsonValueKind.String && Hl7.Fhir.Model.Id.IsValidValue(id.GetString()!))
        {
            return id.GetString();
        }

        Note($"{path}.id is not a FHIR id (1–64 letters, digits, '-' and '.').", $"{path}.id");
        return null;
    }

    public T? Complex<T>(string name) where T : Element =>
        json.TryGetProperty(name, out var value) ? Complex<T>(value, $"{path}.{name}") : null;

    public T? Complex<T>(JsonElement value, string at) where T : Element
    {
        try
        {
            return FhirJson.ParseDatatype<T>(value, at);
        }
        catch (FhirHttpException ex)
        {
            Note(ex.Message, ex.Expression is { } inner && inner.StartsWith(at, StringComparison.Ordinal) ? inner : at);
            return null;
        }
    }

    public List<T> ComplexList<T>(string name) where T : Element
    {
        var items = new List<T>();
        var index = 0;
        foreach (var item in Array(name))
        {
            if (Complex<T>(item, $"{path}.{name}[{index++}]") is { } read)
            {
                items.Add(read);
            }
        }

        return items;
    }

    /// <summary>The items of an array element; a non-array is a defect (FHIR JSON writes a repeating element as an array, even of one).</summary>
    public List<JsonElement> Array(string name)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() == 0)
        {
            Note(value.ValueKind == JsonValueKind.Array
                ? $"{path}.{name} is an empty array: FHIR JSON leaves out an element that has no entries."
                : $"{path}.{name} must be a JSON array (FHIR JSON writes a repeating element as an array, even of one).", $"{path}.{name}");
            return [];
        }

        return [.. value.EnumerateArray()];
    }

    /// <summary>name[x]: the one property named name + a type this element allows; two of them is a defect.</summary>
    public DataType? Choice(string name, Dictionary<string, Func<ResourceElements, JsonElement, string, DataType?>> types)
    {
        DataType? chosen = null;
        string? chosenName = null;
        foreach (var property in json.EnumerateObject())
        {
            if (!property.Name.StartsWith(name, StringComparison.Ordinal) || property.Name.Length == name.Length)
            {
                continue;
            }

            if (!types.TryGetValue(property.Name[name.Length..], out var read))
            {
                Note($"{path}.{property.Name}: {name}[x] is a {string.Join(", ", types.Keys)}, not a {property.Name[name.Length..]}.", $"{path}.{property.Name}");
                continue;
            }

            if (chosenName is not null)
            {
                Note($"{path} has both {chosenName} and {property.Name}; {name}[x] takes one.", $"{path}.{property.Name}");
                return null;
            }

            chosenName = property.Name;
            chosen = read(this, property.Value, $"{path}.{property.Name}");
        }

        return chosen;
    }

    public FhirDateTime? DateTime(JsonElement value, string at)
    {
        if (value.ValueKind == JsonValueKind.String && FhirDateTime.IsValidValue(value.GetString()!))
        {
            return new FhirDateTime(value.GetString());
        }

        Note($"{at} is not a FHIR dateTime (YYYY, YYYY-MM, YYYY-MM-DD or a time with its zone).", at);
        return null;
    }

    public Instant? Instant(string name)
    {
        if (!json.TryGetProperty(name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.String && Hl7.Fhir.Model.Instant.IsValidValue(value.GetString()!)
            && P.DateTime.TryParse(value.GetString()!, out var parsed))
        {
            return new Instant(parsed.ToDateTimeOffset(TimeSpan.Zero));
        }

        Note($"{path}.{name} is not a FHIR instant (a date and time with seconds and a zone).", $"{path}.{name}");
        return null;
    }

    /// <summary>Our coverage-information extensions (an earlier answer the EHR sends back); other extensions are not read.</summary>
    public List<Extension> CoverageInformation()
    {
        var found = new List<Extension>();
        var index = 0;
        foreach (var item in Array("extension"))
        {
            var at = $"{path}.extension[{index++}]";
            if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("url", out var url)
                && url.ValueKind == JsonValueKind.String && url.ValueEquals(CoverageInformationExtension.Url)
                && Complex<Extension>(item, at) is { } extension)
            {
                found.Add(extension);
            }
        }

        return found;
    }
}
