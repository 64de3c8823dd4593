using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// What a hook found to assess: the candidates to annotate, every coded order of the request
/// (ServiceRequests and DeviceRequests: the order set that add-on pairing and P8 concurrency look
/// across), and the references it could not get.
/// </summary>
internal sealed record HookOrders(IReadOnlyList<OrderCandidate> Candidates, IReadOnlyList<DomainResource> OrderSet, IReadOnlyList<EhrFetch> Unresolved)
{
    public static HookOrders None { get; } = new([], [], []);

    /// <summary>These orders and <paramref name="others"/>, orders of other types to annotate with the payer's default.</summary>
    public HookOrders With(IEnumerable<OrderCandidate> others) => this with { Candidates = [.. Candidates, .. others] };

    /// <summary>Candidates whose target is also the order (every hook but appointment-book).</summary>
    public static HookOrders FromCodedOrders(IReadOnlyList<CodedOrder> orders, IReadOnlyList<EhrFetch> unresolved) =>
        new(orders.Select(OrderCandidate.For).ToList(), orders.Select(o => o.Order).ToList(), unresolved);
}
