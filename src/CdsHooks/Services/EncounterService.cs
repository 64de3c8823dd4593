using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// encounter-start and encounter-discharge: coverage guidance for the spine procedures ordered for
/// the encounter (supporting CRD hooks). The two differ only in their hook and wording, so one type
/// serves both; <see cref="Start"/> and <see cref="Discharge"/> make them.
/// </summary>
internal sealed class EncounterService : ICrdHookService
{
    private readonly CodedOrderReader _reader;

    private EncounterService(CodedOrderReader reader, string hook, string title, string description)
    {
        _reader = reader;
        Descriptor = new CdsServiceDescriptor(
            hook,
            title,
            description,
            $"{hook}-crd",
            new Dictionary<string, string>(PrefetchTemplates.Member())
            {
                [PrefetchTemplates.EncounterKey] = PrefetchTemplates.Encounter,
                [PrefetchTemplates.EncounterOrdersKey] = PrefetchTemplates.EncounterServiceRequests,
            },
            new CdsServiceExtension(CrdConfigurationOptions.All));
    }

    public CdsServiceDescriptor Descriptor { get; }

    public bool IsPrimary => false;

    public static EncounterService Start(CodedOrderReader reader) => new(
        reader,
        "encounter-start",
        "Coverage requirements at encounter start (Policy 097)",
        "Coverage and prior-authorization requirements for the spine procedures ordered for the encounter.");

    public static EncounterService Discharge(CodedOrderReader reader) => new(
        reader,
        "encounter-discharge",
        "Coverage requirements at discharge (Policy 097)",
        "Coverage and prior-authorization requirements for spine procedures ordered at discharge.");

    public Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken) =>
        EncounterOrders.CollectAsync(_reader, request, data, Descriptor.Hook, cancellationToken);
}
