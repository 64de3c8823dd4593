using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir;

/// <summary>Reads the facts the policy needs from a member's Coverage and Patient.</summary>
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

    /// <summary>Whole years of age on <paramref name="onDate"/>, or null when the birth date is unknown or partial-invalid.</summary>
    public static int? AgeInYears(Patient? patient, DateOnly onDate)
    {
        var birth = patient?.BirthDateElement?.ToSystemDate();
        if (birth is null || birth.Years is not { } year)
        {
            return null;
        }

        // A partial birth date (year or year-month) is read as its latest possible day, so that the
        // age is never overstated (the age limits are minimums).
        var month = birth.Months ?? 12;
        var day = birth.Days ?? DateTime.DaysInMonth(year, month);
        var birthDate = new DateOnly(year, month, day);
        var age = onDate.Year - birthDate.Year;
        if (onDate < birthDate.AddYears(age))
        {
            age--;
        }

        return age < 0 ? null : age;
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
