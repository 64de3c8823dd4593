using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// An order whose code a policy may govern: a ServiceRequest or a DeviceRequest, read from the hook
/// the same way DTR and PAS read it (<see cref="OrderFactsReader"/>), so the same order gets the same answer.
/// </summary>
/// <param name="Order">The order, holding only the elements read (<see cref="OrderJsonReader"/>).</param>
/// <param name="Reference">"ServiceRequest/123" as the EHR named it, or the order's place in the request.</param>
/// <param name="Defect">The first element read that breaks FHIR R4, when one did.</param>
/// <param name="Source">The order as the EHR sent it.</param>
internal sealed record CodedOrder(DomainResource Order, string Reference, ElementDefect? Defect, JsonElement Source)
{
    /// <summary>The resource types read as coded orders.</summary>
    public static bool IsCodedOrderType(string? type) => type is "ServiceRequest" or "DeviceRequest";
}
