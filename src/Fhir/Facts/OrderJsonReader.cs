using System.Text.Json;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Reads a hook's orders straight from their JSON: only the elements <see cref="OrderFactsReader"/>
/// and the coverage annotation use — a ServiceRequest's id, subject, code, quantity[x] and occurrence[x]; a DeviceRequest's id, subject, code[x] and occurrence[x]; an Appointment's start,
/// requestedPeriod, basedOn and contained ServiceRequests; any order's id and our coverage-information extensions
/// — each checked as strictly as Firely's parser checks it (complex elements go through Firely's
/// own datatype parser). A whole-resource parse cost about a seventh of an order-sign hook's CPU,
/// and nothing but these elements is ever used: a defect in one that is not read does not concern
/// us, and the update action gives the EHR its own JSON back.
/// </summary>
/// <remarks>
/// An element that breaks FHIR R4 is left out and reported as the order's defect (the first one);
/// one that says what is ordered or for whom is also reported as its <see cref="OrderJson{T}.IdentityDefect"/>.
/// </remarks>
public static class OrderJsonReader
{
    public static OrderJson<ServiceRequest> ServiceRequest(JsonElement json, string path = "ServiceRequest")
    {
        var read = new ResourceElements(json, path);
        var request = new ServiceRequest
        {
            Id = read.Id(),
            Code = read.Complex<CodeableConcept>("code"),
            Quantity = read.Choice("quantity", QuantityTypes),
            Occurrence = read.Choice("occurrence", OccurrenceTypes),
        };
        if (read.Complex<ResourceReference>("subject") is { } subject)
        {
            request.Subject = subject;
        }

        request.Extension.AddRange(read.CoverageInformation());
        return new(request, read.Defect, read.DefectIn("code") ?? read.DefectIn("subject"));
    }

    /// <summary>
    /// A DeviceRequest: its id, subject, code[x] and occurrence[x]. Only a coded device
    /// (codeCodeableConcept) can name a service a policy governs; codeReference names a Device and
    /// is read as no code. R4's DeviceRequest has no quantity: the order is one unit.
    /// </summary>
    public static OrderJson<DeviceRequest> DeviceRequest(JsonElement json, string path = "DeviceRequest")
    {
        var read = new ResourceElements(json, path);
        var request = new DeviceRequest
        {
            Id = read.Id(),
            Occurrence = read.Choice("occurrence", OccurrenceTypes),
        };
        if (read.Choice("code", DeviceCodeTypes) is { } code)
        {
            request.Code = code;
        }

        if (read.Complex<ResourceReference>("subject") is { } subject)
        {
            request.Subject = subject;
        }

        request.Extension.AddRange(read.CoverageInformation());
        return new(request, read.Defect, read.DefectInChoice("code") ?? read.DefectIn("subject"));
    }

    public static OrderJson<Appointment> Appointment(JsonElement json, string path = "Appointment")
    {
        var read = new ResourceElements(json, path);
        var appointment = new Appointment
        {
            Id = read.Id(),
            StartElement = read.Instant("start"),
            RequestedPeriod = read.ComplexList<Period>("requestedPeriod"),
            BasedOn = read.ComplexList<ResourceReference>("basedOn"),
        };
        appointment.Extension.AddRange(read.CoverageInformation());
        ElementDefect? containedIdentity = null;
        var index = 0;
        foreach (var contained in read.Array("contained"))
        {
            var at = $"{path}.contained[{index++}]";
            if (contained.ValueKind != JsonValueKind.Object || TypeOf(contained) is not { } type)
            {
                read.Note($"{at} must be a JSON object holding a FHIR resource (with its resourceType).", at);
                continue;
            }

            if (type == "ServiceRequest")
            {
                var order = ServiceRequest(contained, at);
                appointment.Contained.Add(order.Resource);
                read.Note(order.FirstDefect);
                containedIdentity ??= order.IdentityDefect;
            }
        }

        return new(appointment, read.Defect, read.DefectIn("contained") ?? containedIdentity ?? read.DefectIn("basedOn"));
    }

    /// <summary>An order of a type no policy governs (MedicationRequest, …): its id and our coverage-information.</summary>
    public static OrderJson<DomainResource>? Other(JsonElement json, string path)
    {
        if (TypeOf(json) is not { } type || ModelInfo.GetTypeForFhirType(type) is not { } native
            || !typeof(DomainResource).IsAssignableFrom(native) || Activator.CreateInstance(native) is not DomainResource order)
        {
            return null;
        }

        var read = new ResourceElements(json, path);
        order.Id = read.Id();
        order.Extension.AddRange(read.CoverageInformation());
        return new(order, read.Defect);
    }

    public static string? TypeOf(JsonElement json) =>
        json.TryGetProperty("resourceType", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    private static readonly Dictionary<string, Func<ResourceElements, JsonElement, string, DataType?>> QuantityTypes = new(StringComparer.Ordinal)
    {
        ["Quantity"] = (read, value, at) => read.Complex<Quantity>(value, at),
        ["Ratio"] = (read, value, at) => read.Complex<Ratio>(value, at),
        ["Range"] = (read, value, at) => read.Complex<Hl7.Fhir.Model.Range>(value, at),
    };

    private static readonly Dictionary<string, Func<ResourceElements, JsonElement, string, DataType?>> DeviceCodeTypes = new(StringComparer.Ordinal)
    {
        ["CodeableConcept"] = (read, value, at) => read.Complex<CodeableConcept>(value, at),
        ["Reference"] = (read, value, at) => read.Complex<ResourceReference>(value, at),
    };

    private static readonly Dictionary<string, Func<ResourceElements, JsonElement, string, DataType?>> OccurrenceTypes = new(StringComparer.Ordinal)
    {
        ["DateTime"] = (read, value, at) => read.DateTime(value, at),
        ["Period"] = (read, value, at) => read.Complex<Period>(value, at),
        ["Timing"] = (read, value, at) => read.Complex<Timing>(value, at),
    };
}
