using System.Text.Json;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Discovery;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// appointment-book (a primary CRD hook): an Appointment is governed when a ServiceRequest it is
/// basedOn carries a governed CPT code; CRD 2.0.1 annotates the Appointment itself.
/// </summary>
internal sealed class AppointmentBookService(CodedOrderReader reader) : ICrdHookService
{
    public CdsServiceDescriptor Descriptor { get; } = new(
        "appointment-book",
        "Coverage requirements on appointment booking (Policy 097)",
        "Coverage and prior-authorization requirements for spine procedures being scheduled.",
        "appointment-book-crd",
        new Dictionary<string, string>(PrefetchTemplates.Member()) { [PrefetchTemplates.AppointmentOrdersKey] = PrefetchTemplates.PatientServiceRequests },
        new CdsServiceExtension(CrdConfigurationOptions.All));

    public bool IsPrimary => true;

    public async Task<HookOrders> CollectOrdersAsync(HookRequest request, HookData data, CancellationToken cancellationToken)
    {
        if (request.ContextElement("appointments") is not { } appointments || HookData.ResourceTypeOf(appointments) != "Bundle")
        {
            throw CdsRequestException.Invalid("missing-context-field", "appointment-book context needs 'appointments', a FHIR Bundle.");
        }

        HookData.CheckBundle(appointments, "context.appointments", resourcesRequired: true);

        var booked = new List<(Appointment Appointment, JsonElement Source, string Reference, ElementDefect? Defect, List<string> BasedOn)>();
        var unbased = new List<OrderCandidate>();
        var position = 0;
        foreach (var element in HookData.Unfold(appointments))
        {
            position++;
            if (HookData.ResourceTypeOf(element) != "Appointment")
            {
                continue;
            }

            // Appointments not based on a ServiceRequest cannot be governed, so their other defects do not matter.
            var parsed = OrderJsonReader.Appointment(element);
            var appointment = parsed.Resource;
            if (parsed.IdentityDefect is { } unreadable)
            {
                // Its basedOn and contained orders say what it books: unread, it might book a governed procedure.
                throw CdsRequestException.BadFhir("invalid-fhir", $"{ReferenceText.For(appointment, position)} in context.appointments is not valid FHIR R4: {unreadable.Message} The service cannot tell what the appointment books or for whom, so it answers nothing.", unreadable.Path);
            }

            var basedOn = appointment.BasedOn.Select(r => r.Reference).Where(r => r is not null && r.StartsWith("ServiceRequest/", StringComparison.Ordinal)).Select(r => r!).ToList();
            var contained = appointment.BasedOn.Select(r => r.Reference).Where(r => r is not null && r.StartsWith('#')).Select(r => r!).ToList();
            if (basedOn.Count == 0 && contained.Count == 0)
            {
                // Based on no order: no loaded policy governs it; the payer's default answers it.
                unbased.Add(new OrderCandidate(appointment, element, ReferenceText.For(appointment, position), null, parsed.FirstDefect));
                continue;
            }

            // ref-1: a local reference names a contained resource; one naming none leaves what is booked unknown.
            if (contained.FirstOrDefault(local => !Contains(element, local[1..])) is { } dangling)
            {
                throw CdsRequestException.BadFhir("invalid-fhir", $"{ReferenceText.For(appointment, position)} in context.appointments is not valid FHIR R4: Appointment.basedOn names {dangling}, which the Appointment does not contain. The service cannot tell what the appointment books, so it answers nothing.", "Appointment.basedOn");
            }

            booked.Add((appointment, element, ReferenceText.For(appointment, position), parsed.FirstDefect, basedOn.Concat(contained).ToList()));
        }

        if (booked.Count == 0)
        {
            return HookOrders.None.With(unbased);
        }

        var external = booked.SelectMany(b => b.BasedOn).Where(r => !r.StartsWith('#'));
        var (found, unresolved) = await reader.ResolveAsync(external, data, "the appointments' basedOn ServiceRequests", cancellationToken);
        var byReference = found.GroupBy(f => f.Reference, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Order, StringComparer.Ordinal);

        var candidates = new List<OrderCandidate>();
        var orderSet = new List<DomainResource>();
        foreach (var (appointment, source, reference, defect, basedOn) in booked)
        {
            foreach (var target in basedOn)
            {
                DomainResource? order = target.StartsWith('#')
                    ? appointment.Contained.OfType<ServiceRequest>().FirstOrDefault(c => "#" + c.Id == target)
                    : byReference.GetValueOrDefault(target);
                if (order is null)
                {
                    continue;
                }

                candidates.Add(new OrderCandidate(appointment, source, reference, order, defect));
                orderSet.Add(order);
            }
        }

        return new HookOrders(candidates, orderSet, unresolved).With(unbased);
    }

    /// <summary>Whether the Appointment's JSON contains a resource with this id (its contained array was checked by the reader).</summary>
    private static bool Contains(JsonElement appointment, string id) =>
        appointment.TryGetProperty("contained", out var contained) && contained.ValueKind == JsonValueKind.Array
        && contained.EnumerateArray().Any(r => r.ValueKind == JsonValueKind.Object && r.TryGetProperty("id", out var value)
            && value.ValueKind == JsonValueKind.String && value.ValueEquals(id));
}
