using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir;

/// <summary>Reads the member's product line from a Coverage (the age comes from <see cref="Facts.PatientFacts"/>).</summary>
public sealed class MemberCoverageReader(MemberCoverageOptions options)
{
    /// <summary>
    /// The product line of a Coverage, or why it cannot be had: a payor that is not us (CRD: the
    /// service must not answer for another payer's coverage), or no plan class we know.
    /// </summary>
    public ProductLineResult ReadProductLine(Coverage coverage)
    {
        if (options.PayorIdentifiers.Count > 0 && !IsOurs(coverage))
        {
            return ProductLineResult.ForeignPayer("The Coverage's payor is not this payer.");
        }

        foreach (var cls in coverage.Class)
        {
            var isPlan = cls.Type?.Coding.Any(c => c.System == options.ClassTypeSystem && c.Code == options.ClassTypeCode) ?? false;
            if (isPlan && cls.Value is { } value && options.PlanToProductLine.TryGetValue(value, out var line))
            {
                return ProductLineResult.Found(line);
            }
        }

        return ProductLineResult.Unknown("The Coverage has no plan class whose value names a product line of this payer.");
    }

    private bool IsOurs(Coverage coverage)
    {
        foreach (var payor in coverage.Payor)
        {
            if (payor.Identifier?.Value is { } id && options.PayorIdentifiers.Contains(id, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }

            if (payor.Reference is { } reference && options.PayorIdentifiers.Contains(reference, StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
