using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>
/// A hook's orders as engine facts, through the shared <see cref="OrderFactsReader"/>: each
/// candidate's service (for appointment-book, the booked order on the appointment's date) and the
/// order set that add-on pairing and P8 concurrency look across.
/// </summary>
internal sealed record HookOrderFacts(IReadOnlyDictionary<OrderCandidate, OrderedService> Candidates, IReadOnlyList<OrderedService> OrderSet)
{
    public static HookOrderFacts Read(HookOrders orders, OrderFactsReader reader)
    {
        var ids = new Dictionary<DomainResource, string>(ReferenceEqualityComparer.Instance);
        string IdOf(DomainResource order)
        {
            if (!ids.TryGetValue(order, out var id))
            {
                id = string.IsNullOrEmpty(order.Id) ? $"order-{ids.Count + 1}" : $"{order.TypeName}/{order.Id}";
                ids[order] = id;
            }

            return id;
        }

        var candidates = new Dictionary<OrderCandidate, OrderedService>(ReferenceEqualityComparer.Instance);
        var byOrder = new Dictionary<DomainResource, OrderedService>(ReferenceEqualityComparer.Instance);
        foreach (var candidate in orders.Candidates)
        {
            if (candidate.Order is null)
            {
                continue;
            }

            var ordered = candidate.Target is Appointment appointment && candidate.Order is ServiceRequest booked
                ? reader.Read(appointment, booked, IdOf(booked))
                : reader.Read(candidate.Order, IdOf(candidate.Order));
            if (ordered is not null)
            {
                candidates[candidate] = ordered;
                byOrder.TryAdd(candidate.Order, ordered);
            }
        }

        var orderSet = new List<OrderedService>();
        foreach (var request in orders.OrderSet.Distinct(ReferenceEqualityComparer.Instance).Cast<DomainResource>())
        {
            if ((byOrder.GetValueOrDefault(request) ?? reader.Read(request, IdOf(request))) is { } ordered)
            {
                orderSet.Add(ordered);
            }
        }

        return new HookOrderFacts(candidates, orderSet);
    }
}
