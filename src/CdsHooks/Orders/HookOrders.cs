using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// What a hook found to assess: the candidates to annotate, every ServiceRequest of the request
/// (the order set that add-on pairing and P8 concurrency look across), and the references it could
/// not get.
/// </summary>
internal sealed record HookOrders(IReadOnlyList<OrderCandidate> Candidates, IReadOnlyList<ServiceRequest> OrderSet, IReadOnlyList<EhrFetch> Unresolved)
{
    public static HookOrders None { get; } = new([], [], []);

    /// <summary>These orders and <paramref name="others"/>, orders of other types to annotate with the payer's default.</summary>
    public HookOrders With(IEnumerable<OrderCandidate> others) => this with { Candidates = [.. Candidates, .. others] };

    /// <summary>Candidates whose target is also the order (every hook but appointment-book).</summary>
    public static HookOrders FromServiceRequests(IReadOnlyList<(ServiceRequest Request, string Reference, ElementDefect? Defect, System.Text.Json.JsonElement Source)> requests, IReadOnlyList<EhrFetch> unresolved) =>
        new(requests.Select(r => new OrderCandidate(r.Request, r.Source, r.Reference, r.Request, r.Defect)).ToList(), requests.Select(r => r.Request).ToList(), unresolved);
}
