using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// order-dispatch: signed orders sent to a performer (a primary CRD hook). Reads
/// <c>dispatchedOrders</c> (order-dispatch 1.0) and the legacy single <c>order</c> that some
/// clients, Inferno among them, still send with <c>task</c>.
/// </summary>
internal sealed class OrderDispatchService(CodedOrderReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "order-dispatch",
        "Coverage requirements on order dispatch (Policy 097)",
        "Coverage and prior-authorization requirements for spine procedures when the order is sent to a performer.",
        "order-dispatch-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member())
        {
            [PrefetchTemplates.OrdersKey] = PrefetchTemplates.DispatchedServiceRequests,
            [PrefetchTemplates.PerformerKey] = PrefetchTemplates.Performer,
        },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => true;

    public async Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken)
    {
        var references = CodedOrderReader.References(request.ContextElement("dispatchedOrders"))
            .Concat(CodedOrderReader.References(request.ContextElement("order")))
            .ToList();
        if (references.Count == 0)
        {
            throw CdsRequestException.Invalid("missing-context-field", "order-dispatch context needs 'dispatchedOrders' (or the legacy 'order') naming the dispatched orders.");
        }

        var (found, unresolved) = await reader.ResolveAsync(references, data, "context.dispatchedOrders", cancellationToken);
        var others = new List<OrderCandidate>();
        foreach (var reference in references.Where(OtherOrders.IsOtherOrderReference).Distinct(StringComparer.Ordinal))
        {
            var fetched = await data.ReadReferenceAsync(reference, cancellationToken);
            if (fetched.Status == EhrFetchStatus.Found)
            {
                others.AddRange(OtherOrders.Read(fetched.Resources).Select(o => o with { TargetReference = reference }));
            }
        }

        return HookOrders.FromCodedOrders(found, unresolved).With(others);
    }
}
