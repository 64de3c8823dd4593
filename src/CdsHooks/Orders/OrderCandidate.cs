using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// A resource the service may annotate with coverage information (a ServiceRequest or DeviceRequest,
/// or for appointment-book the Appointment), and the coded order whose code decides.
/// </summary>
/// <param name="Target">The resource the facts are read from, holding only the elements read (<see cref="SpinePolicy.Fhir.Facts.OrderJsonReader"/>).</param>
/// <param name="Source">The same resource as the EHR sent it: the update system action returns this JSON with our extension added.</param>
/// <param name="TargetReference">"ServiceRequest/123" or "Appointment/apt1" as the EHR named it.</param>
/// <param name="Order">The ServiceRequest or DeviceRequest carrying the CPT code (<see cref="CodedOrder"/>); null for an order of another type, or an Appointment based on none: no loaded policy governs those.</param>
/// <param name="Defect">The first element read that breaks FHIR R4, when one did.</param>
internal sealed record OrderCandidate(DomainResource Target, JsonElement Source, string TargetReference, DomainResource? Order, ElementDefect? Defect = null)
{
    /// <summary>A coded order annotated itself.</summary>
    public static OrderCandidate For(CodedOrder order) => new(order.Order, order.Source, order.Reference, order.Order, order.Defect);
}
