using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>encounter-start: coverage guidance for the spine procedures ordered for this encounter.</summary>
public sealed class EncounterStartService(ServiceRequestReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "encounter-start",
        "Coverage requirements at encounter start (Policy 097)",
        "Coverage and prior-authorization requirements for the spine procedures ordered for the encounter.",
        "encounter-start-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member())
        {
            [PrefetchTemplates.EncounterKey] = PrefetchTemplates.Encounter,
            [PrefetchTemplates.EncounterOrdersKey] = PrefetchTemplates.EncounterServiceRequests,
        },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => false;

    public Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken) =>
        EncounterOrders.CollectAsync(reader, request, data, "encounter-start", cancellationToken);
}
