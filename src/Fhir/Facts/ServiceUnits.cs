using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// Units of a service (e.g. vertebral bodies for 64629, P7.15), read the same way from
/// ServiceRequest.quantity[x] and Claim.item.quantity: absent means one; otherwise a Quantity whose
/// value is a whole number from 1 to <see cref="Max"/>. Anything else on an order the policy governs
/// is refused with a message naming the element (never read as one unit, never a 500); on an order
/// it does not govern the units are never used, so they are not checked.
/// </summary>
public static class ServiceUnits
{
    /// <summary>No procedure of the policy is billed in more units; beyond it a number is a data error.</summary>
    public const int Max = 1000;

    public static int Of(DataType? quantity, bool governed, string element)
    {
        switch (quantity)
        {
            case null:
            case Quantity { Value: null }:
                return 1;
            case Quantity { Value: { } value } when value >= 1 && value <= Max && value == decimal.Truncate(value):
                return (int)value;
        }

        if (!governed)
        {
            return 1;
        }

        var stated = quantity is Quantity { Value: { } v } ? v.ToString(System.Globalization.CultureInfo.InvariantCulture) : $"a {quantity.TypeName}";
        throw FhirHttpException.BadRequest($"{element} must be a Quantity whose value is a whole number of units from 1 to {Max}, not {stated}.", element);
    }
}
