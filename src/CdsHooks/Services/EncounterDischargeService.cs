using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>encounter-discharge: coverage guidance for spine procedures ordered for after the encounter.</summary>
public sealed class EncounterDischargeService(ServiceRequestReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "encounter-discharge",
        "Coverage requirements at discharge (Policy 097)",
        "Coverage and prior-authorization requirements for spine procedures ordered at discharge.",
        "encounter-discharge-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member())
        {
            [PrefetchTemplates.EncounterKey] = PrefetchTemplates.Encounter,
            [PrefetchTemplates.EncounterOrdersKey] = PrefetchTemplates.EncounterServiceRequests,
        },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => false;

    public Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken) =>
        EncounterOrders.CollectAsync(reader, request, data, "encounter-discharge", cancellationToken);
}
