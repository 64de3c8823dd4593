using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>The orders of an order-sign or order-select context's <c>draftOrders</c> Bundle.</summary>
internal static class DraftOrders
{
    /// <summary>The ServiceRequests and DeviceRequests (the orders a policy may govern).</summary>
    public static List<CodedOrder> Read(CodedOrderReader reader, HookRequest request, string hook) =>
        reader.Read(HookData.Unfold(Bundle(request, hook)), "context.draftOrders");

    /// <summary>The orders of every other type (<see cref="OtherOrders"/>).</summary>
    public static List<OrderCandidate> Others(HookRequest request, string hook) =>
        OtherOrders.Read(HookData.Unfold(Bundle(request, hook)));

    private static JsonElement Bundle(HookRequest request, string hook)
    {
        if (request.ContextElement("draftOrders") is not { } draftOrders || HookData.ResourceTypeOf(draftOrders) != "Bundle")
        {
            throw CdsRequestException.Invalid("missing-context-field", $"{hook} context needs 'draftOrders', a FHIR Bundle.");
        }

        HookData.CheckBundle(draftOrders, "context.draftOrders", resourcesRequired: true);
        return draftOrders;
    }
}
