using Hl7.Fhir.Model;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>
/// One order as a clinician writes it: its codings, quantity and when it is to happen. The same
/// order becomes a CRD draft ServiceRequest, a DTR package order and context, and a PAS Claim item
/// the way an EHR would carry it into each.
/// </summary>
public sealed record Order(string Id, IReadOnlyList<Coding> Codes, decimal? Quantity = null, DataType? Occurrence = null)
{
    public const string Cpt = "http://www.ama-assn.org/go/cpt";

    public static Order Of(string id, string cpt, decimal? quantity = null, DataType? occurrence = null) =>
        new(id, [new Coding(Cpt, cpt)], quantity, occurrence);

    public static Order On(string id, string cpt, string date, decimal? quantity = null) =>
        Of(id, cpt, quantity, new FhirDateTime(date));

    public ServiceRequest ServiceRequest(string patientId) => new()
    {
        Id = Id,
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept { Coding = Codes.Select(c => (Coding)c.DeepCopy()).ToList() },
        Subject = new ResourceReference($"Patient/{patientId}"),
        Quantity = Quantity is { } q ? new Quantity { Value = q, System = "http://unitsofmeasure.org", Code = "1" } : null,
        Occurrence = (DataType?)Occurrence?.DeepCopy(),
        AuthoredOn = "2026-01-15",
        Requester = new ResourceReference("Practitioner/dr-1"),
    };

    /// <summary>The same order written as a DeviceRequest (R4 gives it no quantity).</summary>
    public DeviceRequest DeviceRequest(string patientId) => new()
    {
        Id = Id,
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept { Coding = Codes.Select(c => (Coding)c.DeepCopy()).ToList() },
        Subject = new ResourceReference($"Patient/{patientId}"),
        Occurrence = (DataType?)Occurrence?.DeepCopy(),
        AuthoredOn = "2026-01-15",
        Requester = new ResourceReference("Practitioner/dr-1"),
    };

    /// <summary>
    /// Claim.item.serviced[x] allows a date or a Period: a dateTime becomes the local date it states,
    /// a Timing its bounds, as an EHR copies the order into the claim.
    /// </summary>
    public DataType? Serviced() => Occurrence switch
    {
        null => null,
        FhirDateTime { Value: { } value } => new Date(value[..Math.Min(10, value.Length)]),
        Period period => (Period)period.DeepCopy(),
        _ => throw new NotSupportedException($"No Claim.serviced for {Occurrence.TypeName}"),
    };
}
