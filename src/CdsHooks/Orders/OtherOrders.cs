using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// The orders of a hook other than ServiceRequests (drugs, diets, devices, vision, communication
/// requests). No loaded policy governs them (P2), but a primary CRD hook still answers each with the
/// payer's default coverage-information. They are read leniently: a defect in them is the EHR's,
/// and Firely's recoverable mode keeps whatever it cannot read, so echoing them loses nothing.
/// </summary>
internal static class OtherOrders
{
    /// <summary>CRD 2.0.1's order types besides ServiceRequest.</summary>
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "DeviceRequest", "MedicationRequest", "NutritionOrder", "VisionPrescription", "CommunicationRequest",
    };

    public static bool IsOtherOrderReference(string reference) => reference.Split('/') is [var type, { Length: > 0 }] && Types.Contains(type);

    /// <summary>The other orders among <paramref name="resources"/>, each its own candidate; unreadable ones are skipped.</summary>
    public static List<OrderCandidate> Read(IEnumerable<JsonElement> resources)
    {
        var found = new List<OrderCandidate>();
        var position = 0;
        foreach (var element in resources)
        {
            position++;
            if (HookData.ResourceTypeOf(element) is not { } type || !Types.Contains(type))
            {
                continue;
            }

            var parsed = ResourceReading.ParseTolerant<DomainResource>(element);
            if (parsed.Resource is { } order)
            {
                found.Add(new OrderCandidate(order, element, ReferenceText.For(order, position), null, parsed.Defective ? parsed.Problem : null));
            }
        }

        return found;
    }
}
