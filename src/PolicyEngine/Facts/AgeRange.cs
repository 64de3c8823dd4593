namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// The member's possible ages in whole years on the date of service. A full birth date and a single
/// day of service give one age; a partial birth date or a service window may give two or more, and
/// an age limit is then decided only when every possible age falls on the same side of it.
/// </summary>
public sealed record AgeRange(int Youngest, int Oldest)
{
    public bool IsExact => Youngest == Oldest;

    public static AgeRange Exactly(int years) => new(years, years);

    /// <summary>
    /// Ages between a birth date and a date of service, or null when the birth lies after the
    /// service (an impossible record: the age is unknown, never assumed).
    /// </summary>
    public static AgeRange? Between(DateRange birth, DateRange service)
    {
        var oldest = YearsOld(birth.Start, service.End);
        if (oldest < 0)
        {
            return null;
        }

        return new AgeRange(Math.Max(0, YearsOld(birth.End, service.Start)), oldest);
    }

    /// <summary>
    /// Whole years from <paramref name="born"/> to <paramref name="on"/>. A 29 February birthday is
    /// reached on 28 February in other years (DateOnly.AddYears), the later of the common readings
    /// would be 1 March; the earlier one is used because it is the one the member's own records show.
    /// </summary>
    public static int YearsOld(DateOnly born, DateOnly on)
    {
        var years = on.Year - born.Year;
        return on < born.AddYears(years) ? years - 1 : years;
    }

    public override string ToString() => IsExact ? $"{Youngest}" : $"{Youngest} to {Oldest}";
}
