using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>The orders of an order-sign or order-select context's <c>draftOrders</c> Bundle.</summary>
internal static class DraftOrders
{
    /// <summary>The ServiceRequests (the orders a policy may govern).</summary>
    public static List<(ServiceRequest Request, string Reference, string? Defect, JsonElement Source)> Read(ServiceRequestReader reader, HookRequest request, string hook) =>
        reader.Read(HookData.Unfold(Bundle(request, hook)), "context.draftOrders");

    /// <summary>The orders of every other type (<see cref="OtherOrders"/>).</summary>
    public static List<OrderCandidate> Others(HookRequest request, string hook) =>
        OtherOrders.Read(HookData.Unfold(Bundle(request, hook)));

    private static System.Text.Json.JsonElement Bundle(HookRequest request, string hook) =>
        request.ContextElement("draftOrders") is { } draftOrders && HookData.ResourceTypeOf(draftOrders) == "Bundle"
            ? draftOrders
            : throw CdsRequestException.Invalid("missing-context-field", $"{hook} context needs 'draftOrders', a FHIR Bundle.");
}
