using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>The encounter hooks assess the ServiceRequests of the encounter (prefetch, else a search).</summary>
internal static class EncounterOrders
{
    public static async Task<HookOrders> CollectAsync(CodedOrderReader reader, HookRequest request, HookData data, string hook, CancellationToken cancellationToken)
    {
        if (request.ContextString("encounterId") is not { Length: > 0 } encounterId)
        {
            throw CdsRequestException.Invalid("missing-context-field", $"{hook} context needs 'encounterId'.");
        }

        var fetched = await data.SearchAsync(PrefetchTemplates.EncounterOrdersKey, "ServiceRequest", $"ServiceRequest?encounter={Uri.EscapeDataString(encounterId)}", cancellationToken);
        if (fetched.Status != EhrFetchStatus.Found)
        {
            return fetched.Status == EhrFetchStatus.NotFound ? HookOrders.None : new HookOrders([], [], [fetched]);
        }

        return HookOrders.FromCodedOrders(reader.Read(fetched.Resources, PrefetchTemplates.EncounterOrdersKey), []);
    }
}
