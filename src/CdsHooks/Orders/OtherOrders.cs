using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// The orders of a hook other than ServiceRequests and DeviceRequests (drugs, diets, vision,
/// communication requests), which carry no code a procedure policy could govern. No loaded policy governs them (P2), but a primary CRD hook still answers each with the
/// payer's default coverage-information. Only their id and our earlier coverage-information are
/// read (<see cref="OrderJsonReader.Other"/>); the update action echoes the rest as the EHR sent it.
/// </summary>
internal static class OtherOrders
{
    /// <summary>CRD 2.0.1's order types besides the coded ones (<see cref="CodedOrder"/>).</summary>
    public static IReadOnlySet<string> Types { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "MedicationRequest", "NutritionOrder", "VisionPrescription", "CommunicationRequest",
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

            if (OrderJsonReader.Other(element, type) is { } read)
            {
                found.Add(new OrderCandidate(read.Resource, element, ReferenceText.For(read.Resource, position), null, read.FirstDefect));
            }
        }

        return found;
    }
}
