using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.CdsHooks.Member;

/// <summary>
/// CDS Hooks: <c>context.patientId</c> is the patient the hook is about, and the prefetch templates
/// ask for that patient (<c>Patient/{{context.patientId}}</c>, <c>Coverage?patient={{context.patientId}}</c>).
/// A request whose prefetched Patient, Coverage beneficiary or order subject names another patient
/// contradicts itself: the service would record an assertion for one member decided on another's
/// data, so it answers none (422) rather than guess which is right.
/// </summary>
/// <remarks>
/// Only literal references to a Patient are compared (relative, absolute, or with a version);
/// a reference to a Group, a contained resource or by identifier names no id to compare. Orders of
/// other types (MedicationRequest, NutritionOrder…) are not read beyond their id, so their subject is
/// not checked: the Inferno CRD kit's own requests name Patient/1288992 there with patientId "example".
/// </remarks>
internal static class PatientInContext
{
    /// <summary>Every coded order the hook reads (the candidates and the order set) must be for the context's patient.</summary>
    public static void CheckOrders(HookOrders orders, string? patientId)
    {
        if (string.IsNullOrEmpty(patientId))
        {
            return;
        }

        var requests = orders.Candidates.Select(c => (c.Order, c.Order is null ? null : c.TargetReference))
            .Concat(orders.OrderSet.Select(o => ((DomainResource?)o, (string?)null)));
        foreach (var (order, reference) in requests)
        {
            if (order is not null && SubjectOf(order) is { } subject && PatientIdOf(subject) is { } named && named != patientId)
            {
                var name = reference ?? (string.IsNullOrEmpty(order.Id) ? $"A {order.TypeName}" : $"{order.TypeName}/{order.Id}");
                throw Mismatch($"{name} is for Patient/{named}, not the patient in context (context.patientId '{patientId}').", $"{order.TypeName}.subject");
            }
        }
    }

    /// <summary>The prefetched Patient must be the context's patient.</summary>
    public static void CheckPatient(JsonElement patient, string patientId, string where)
    {
        if (HookData.IdOf(patient) is { } id && id != patientId)
        {
            throw Mismatch($"The Patient in {where} is Patient/{id}, not the patient in context (context.patientId '{patientId}').", "Patient.id");
        }
    }

    /// <summary>A Coverage's beneficiary, when it names a Patient, must be the context's patient.</summary>
    public static void CheckBeneficiary(string? beneficiary, string patientId, string where)
    {
        if (PatientIdOf(beneficiary) is { } named && named != patientId)
        {
            throw Mismatch($"{where} covers Patient/{named}, not the patient in context (context.patientId '{patientId}').", "Coverage.beneficiary");
        }
    }

    private static string? SubjectOf(DomainResource order) => order switch
    {
        ServiceRequest request => request.Subject?.Reference,
        DeviceRequest request => request.Subject?.Reference,
        _ => null,
    };

    /// <summary>The id of the Patient a literal reference names (relative, absolute or versioned); null otherwise.</summary>
    private static string? PatientIdOf(string? reference) => SearchColumnExtractor.PatientIdFrom(reference);

    private static CdsRequestException Mismatch(string message, string expression) =>
        CdsRequestException.Invalid("patient-mismatch", $"{message} The service answers for the patient in context only.", expression);
}
