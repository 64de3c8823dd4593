using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// One CRD service: what discovery says about it, and how its hook's context names the orders to
/// assess. Everything after that (member, policy, response) is shared by <see cref="CoverageDiscovery"/>.
/// </summary>
internal interface ICrdHookService
{
    CdsServiceDescriptor Descriptor { get; }

    /// <summary>
    /// Primary hooks (order-sign, order-dispatch, appointment-book) must answer every governed order
    /// with a coverage-information system action (CRD 2.0.1); the others may.
    /// </summary>
    bool IsPrimary { get; }

    Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken);
}
