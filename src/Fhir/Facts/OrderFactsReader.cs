using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// The one translation of an order into the facts the engine decides on — service code (P2), units
/// and date of service — whichever resource carries it: a ServiceRequest or DeviceRequest (CRD
/// hooks, the DTR package, a QuestionnaireResponse's context), an Appointment booking a
/// ServiceRequest (appointment-book) or a Claim item (PAS). CRD, DTR and PAS all call this, so the
/// same order is the same facts in all three.
/// </summary>
/// <remarks>
/// The date of service is what the resource states for when the service happens —
/// ServiceRequest/DeviceRequest.occurrence[x], Appointment.start (else its requested period, else the
/// booked order's occurrence), Claim.item.serviced[x] (else Claim.billablePeriod, else the day the
/// request was created, which is "today" for the submitter and stays the same when a reviewer
/// decides later) — and today only when nothing states one.
/// </remarks>
public sealed class OrderFactsReader(PolicyTimeline policy, TimeProvider time)
{
    /// <summary>Today (UTC): the date of service of an order that states none.</summary>
    public DateRange Today => DateRange.Day(DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime));

    /// <summary>A ServiceRequest or DeviceRequest; null for other resources and for orders with no code.</summary>
    public OrderedService? Read(Resource order, string orderId) => order switch
    {
        ServiceRequest request => Read(request, orderId),
        DeviceRequest request => Read(request, orderId),
        _ => null,
    };

    public OrderedService? Read(ServiceRequest request, string orderId, string path = "ServiceRequest")
    {
        if (ServiceCode.Of(request.Code, policy, $"{path}.code") is not { } code)
        {
            return null;
        }

        var governed = policy.Governs(code);
        return new OrderedService(
            orderId,
            code,
            ServiceUnits.Of(request.Quantity, governed, $"{path}.quantity"),
            DateOf(request.Occurrence, governed, $"{path}.occurrence") ?? Today);
    }

    /// <summary>DeviceRequest (R4 has no quantity: one unit).</summary>
    public OrderedService? Read(DeviceRequest request, string orderId, string path = "DeviceRequest")
    {
        if (ServiceCode.Of(request.Code as CodeableConcept, policy, $"{path}.code") is not { } code)
        {
            return null;
        }

        return new OrderedService(orderId, code, 1, DateOf(request.Occurrence, policy.Governs(code), $"{path}.occurrence") ?? Today);
    }

    /// <summary>appointment-book: the booked ServiceRequest's code and units, on the appointment's date.</summary>
    public OrderedService? Read(Appointment appointment, ServiceRequest booked, string orderId, string path = "Appointment")
    {
        if (Read(booked, orderId) is not { } order)
        {
            return null;
        }

        var governed = policy.Governs(order.CptCode);
        var date = DateOf(appointment.StartElement, governed, $"{path}.start")
            ?? DateOf(appointment.RequestedPeriod.FirstOrDefault(), governed, $"{path}.requestedPeriod[0]");
        return date is null ? order : order with { DateOfService = date };
    }

    /// <summary>PAS: one Claim item (null when it carries no code).</summary>
    public OrderedService? Read(Claim claim, int itemIndex, string orderId, string path = "Claim")
    {
        var item = claim.Item[itemIndex];
        var at = $"{path}.item[{itemIndex}]";
        if (ServiceCode.Of(item.ProductOrService, policy, $"{at}.productOrService") is not { } code)
        {
            return null;
        }

        var governed = policy.Governs(code);
        var date = DateOf(item.Serviced, governed, $"{at}.serviced")
            ?? DateOf(claim.BillablePeriod, governed, $"{path}.billablePeriod")
            ?? DateOf(claim.CreatedElement, governed, $"{path}.created")
            ?? Today;
        return new OrderedService(orderId, code, ServiceUnits.Of(item.Quantity, governed, $"{at}.quantity"), date);
    }

    /// <summary>
    /// A date the order states; an unreadable one is refused on an order the policy governs and
    /// ignored on another (only its code is ever used).
    /// </summary>
    private static DateRange? DateOf(DataType? value, bool governed, string element)
    {
        try
        {
            return FhirDates.Of(value, element);
        }
        catch (FhirHttpException) when (!governed)
        {
            return null;
        }
    }
}
