using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>order-sign: the draft orders about to be signed (a primary CRD hook).</summary>
internal sealed class OrderSignService(CodedOrderReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "order-sign",
        "Coverage requirements on order signing (Policy 097)",
        "Whether the spine procedures being signed are covered, need prior authorization or documentation, for this member's plan.",
        "order-sign-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member()) { [PrefetchTemplates.OrdersKey] = PrefetchTemplates.DraftServiceRequests },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => true;

    public Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken) =>
        Task.FromResult(HookOrders.FromCodedOrders(DraftOrders.Read(reader, request, "order-sign"), []).With(DraftOrders.Others(request, "order-sign")));
}
