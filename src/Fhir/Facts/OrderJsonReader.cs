using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Http;
using P = Hl7.Fhir.ElementModel.Types;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Reads a hook's orders straight from their JSON: only the elements <see cref="OrderFactsReader"/>
/// and the coverage annotation use — a ServiceRequest's id, code, quantity[x] and occurrence[x]; an Appointment's start,
/// requestedPeriod, basedOn and contained ServiceRequests; any order's id and our coverage-information extensions
/// — each checked as strictly as Firely's parser checks it (complex elements go through Firely's
/// own datatype parser). A whole-resource parse cost about a seventh of an order-sign hook's CPU,
/// and nothing but these elements is ever used: a defect in one that is not read does not concern
/// us, and the update action gives the EHR its own JSON back.
/// </summary>
/// <remarks>An element that breaks FHIR R4 is left out and reported as the order's defect (the first one).</remarks>
public static class OrderJsonReader
{
    public static OrderJson<ServiceRequest> ServiceRequest(JsonElement json, string path = "ServiceRequest")
    {
        var read = new ElementReading(json, path);
        var request = new ServiceRequest
        {
            Id = read.Id(),
            Code = read.Complex<CodeableConcept>("code"),
            Quantity = read.Choice("quantity", QuantityTypes),
            Occurrence = read.Choice("occurrence", OccurrenceTypes),
        };
        request.Extension.AddRange(read.CoverageInformation());
        return new(request, read.Defect);
    }

    public static OrderJson<Appointment> Appointment(JsonElement json, string path = "Appointment")
    {
        var read = new ElementReading(json, path);
        var appointment = new Appointment
        {
            Id = read.Id(),
            StartElement = read.Instant("start"),
            RequestedPeriod = read.ComplexList<Period>("requestedPeriod"),
            BasedOn = read.ComplexList<ResourceReference>("basedOn"),
        };
        appointment.Extension.AddRange(read.CoverageInformation());
        var index = 0;
        foreach (var contained in read.Array("contained"))
        {
            var at = $"{path}.contained[{index++}]";
            if (contained.ValueKind == JsonValueKind.Object && TypeOf(contained) == "ServiceRequest")
            {
                var order = ServiceRequest(contained, at);
                appointment.Contained.Add(order.Resource);
                read.Note(order.Defect);
            }
        }

        return new(appointment, read.Defect);
    }

    /// <summary>An order of a type no policy governs (MedicationRequest, …): its id and our coverage-information.</summary>
    public static OrderJson<DomainResource>? Other(JsonElement json, string path)
    {
        if (TypeOf(json) is not { } type || ModelInfo.GetTypeForFhirType(type) is not { } native
            || !typeof(DomainResource).IsAssignableFrom(native) || Activator.CreateInstance(native) is not DomainResource order)
        {
            return null;
        }

        var read = new ElementReading(json, path);
        order.Id = read.Id();
        order.Extension.AddRange(read.CoverageInformation());
        return new(order, read.Defect);
    }

    private static string? TypeOf(JsonElement json) =>
        json.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    private static readonly Dictionary<string, Func<ElementReading, JsonElement, string, DataType?>> QuantityTypes = new(StringComparer.Ordinal)
    {
        ["Quantity"] = (read, value, at) => read.Complex<Quantity>(value, at),
        ["Ratio"] = (read, value, at) => read.Complex<Ratio>(value, at),
        ["Range"] = (read, value, at) => read.Complex<Hl7.Fhir.Model.Range>(value, at),
    };

    private static readonly Dictionary<string, Func<ElementReading, JsonElement, string, DataType?>> OccurrenceTypes = new(StringComparer.Ordinal)
    {
        ["DateTime"] = (read, value, at) => read.DateTime(value, at),
        ["Period"] = (read, value, at) => read.Complex<Period>(value, at),
        ["Timing"] = (read, value, at) => read.Complex<Timing>(value, at),
    };

    /// <summary>The elements of one resource being read, and the first defect met.</summary>
    private sealed class ElementReading(JsonElement json, string path)
    {
        public string? Defect { get; private set; }

        public void Note(string? defect) => Defect ??= defect;

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

            Note($"{path}.id is not a FHIR id (1–64 letters, digits, '-' and '.').");
            return null;
        }

        public T? Complex<T>(string name) where T : DataType =>
            json.TryGetProperty(name, out var value) ? Complex<T>(value, $"{path}.{name}") : null;

        public T? Complex<T>(JsonElement value, string at) where T : DataType
        {
            try
            {
                return FhirJson.ParseDatatype<T>(value, at);
            }
            catch (FhirHttpException ex)
            {
                Note(ex.Message);
                return null;
            }
        }

        public List<T> ComplexList<T>(string name) where T : DataType
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
                    : $"{path}.{name} must be a JSON array.");
                return [];
            }

            return [.. value.EnumerateArray()];
        }

        /// <summary>name[x]: the one property named name + a type this element allows; two of them is a defect.</summary>
        public DataType? Choice(string name, Dictionary<string, Func<ElementReading, JsonElement, string, DataType?>> types)
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
                    Note($"{path}.{property.Name}: {name}[x] is a {string.Join(", ", types.Keys)}, not a {property.Name[name.Length..]}.");
                    continue;
                }

                if (chosenName is not null)
                {
                    Note($"{path} has both {chosenName} and {property.Name}; {name}[x] takes one.");
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

            Note($"{at} is not a FHIR dateTime (YYYY, YYYY-MM, YYYY-MM-DD or a time with its zone).");
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

            Note($"{path}.{name} is not a FHIR instant (a date and time with seconds and a zone).");
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
}
