using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>The ServiceRequests of an order-sign or order-select context's <c>draftOrders</c> Bundle.</summary>
internal static class DraftOrders
{
    public static List<(ServiceRequest Request, string Reference, string? Defect)> Read(ServiceRequestReader reader, HookRequest request, string hook)
    {
        if (request.ContextElement("draftOrders") is not { } draftOrders || HookData.ResourceTypeOf(draftOrders) != "Bundle")
        {
            throw CdsRequestException.BadRequest("missing-context-field", $"{hook} context needs 'draftOrders', a FHIR Bundle.");
        }

        return reader.Read(HookData.Unfold(draftOrders), "context.draftOrders");
    }
}
