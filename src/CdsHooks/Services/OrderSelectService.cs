using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// order-select: orders just selected. The selections are assessed; every draft order forms the
/// order set, so an add-on selected beside an unselected primary is not flagged (P2).
/// </summary>
internal sealed class OrderSelectService(CodedOrderReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "order-select",
        "Coverage requirements on order selection (Policy 097)",
        "Early coverage and prior-authorization guidance for spine procedures as they are selected.",
        "order-select-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member()) { [PrefetchTemplates.OrdersKey] = PrefetchTemplates.DraftServiceRequests },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => false;

    public Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken)
    {
        var all = DraftOrders.Read(reader, request, "order-select");
        var selections = CodedOrderReader.References(request.ContextElement("selections")).ToHashSet(StringComparer.Ordinal);
        var selected = selections.Count == 0 ? all : all.Where(r => selections.Contains(r.Reference)).ToList();
        var candidates = selected.Select(OrderCandidate.For).ToList();
        return Task.FromResult(new HookOrders(candidates, all.Select(r => r.Order).ToList(), []));
    }
}
