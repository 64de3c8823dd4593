using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Facts;

namespace SpinePolicy.Fhir;

/// <summary>Reads the member's product line from a Coverage (the age comes from <see cref="Facts.PatientFacts"/>).</summary>
public sealed class MemberCoverageReader(MemberCoverageOptions options)
{
    /// <summary>
    /// The product line of a Coverage, or why it cannot be had: a payor that is not us (CRD: the
    /// service must not answer for another payer's coverage), or no plan class we know.
    /// </summary>
    public ProductLineResult ReadProductLine(Coverage coverage) => ReadProductLine(CoverageFields.Of(coverage));

    /// <inheritdoc cref="ReadProductLine(Coverage)"/>
    public ProductLineResult ReadProductLine(CoverageFields coverage)
    {
        if (options.PayorIdentifiers.Count > 0 && !IsOurs(coverage))
        {
            return ProductLineResult.ForeignPayer("The Coverage's payor is not this payer.");
        }

        foreach (var cls in coverage.Classes)
        {
            var isPlan = cls.Type.Any(c => c.System == options.ClassTypeSystem && c.Code == options.ClassTypeCode);
            if (isPlan && cls.Value is { } value && options.PlanToProductLine.TryGetValue(value, out var line))
            {
                return ProductLineResult.Found(line);
            }
        }

        // The plan values are the payer's own codes (no member data): naming them tells the caller which one we did not recognise.
        var plans = coverage.Classes
            .Where(c => c.Value is not null && c.Type.Any(t => t.System == options.ClassTypeSystem && t.Code == options.ClassTypeCode))
            .Select(c => $"'{c.Value}'")
            .ToList();
        return ProductLineResult.Unknown(plans.Count == 0
            ? "The Coverage has no plan class (Coverage.class of type plan) naming a product line of this payer."
            : $"The Coverage's plan {string.Join(", ", plans)} names no product line of this payer.");
    }

    private bool IsOurs(CoverageFields coverage)
    {
        foreach (var payor in coverage.Payors)
        {
            if (payor.IdentifierValue is { } id && options.PayorIdentifiers.Contains(id, StringComparer.OrdinalIgnoreCase))
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
