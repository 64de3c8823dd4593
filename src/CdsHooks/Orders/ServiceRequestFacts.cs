using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.CdsHooks.Orders;

/// <summary>Turns a ServiceRequest into the facts the policy engine sees.</summary>
public static class ServiceRequestFacts
{
    /// <summary>The CPT code (P2): the first governed CPT coding, else the first CPT coding.</summary>
    public static string? CptCode(ServiceRequest request, Policy policy)
    {
        var codings = request.Code?.Coding;
        if (codings is null)
        {
            return null;
        }

        var cpt = codings.Where(c => c.System == policy.Document.CptSystem && !string.IsNullOrWhiteSpace(c.Code)).Select(c => c.Code!.Trim()).ToList();
        return cpt.FirstOrDefault(policy.Governs) ?? cpt.FirstOrDefault();
    }

    /// <summary>Units from ServiceRequest.quantity when it is a whole positive Quantity; else one.</summary>
    public static int Units(ServiceRequest request) =>
        request.Quantity is Quantity { Value: { } value } && value >= 1 && value == decimal.Truncate(value) && value <= int.MaxValue
            ? (int)value
            : 1;

    public static OrderedService? ToOrderedService(ServiceRequest request, string orderId, Policy policy) =>
        CptCode(request, policy) is { } code ? new OrderedService(orderId, code, Units(request)) : null;
}
