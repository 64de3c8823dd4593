namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// What is known about the member's age: a birth date (a range when partial), or an age a form
/// states for the date of service, or nothing. The engine takes the age on each order's own date
/// of service (P1, P6), so that CRD, DTR and PAS reach the same age on the same facts.
/// </summary>
public sealed record AgeFacts(DateRange? BirthDate, int? StatedYears)
{
    public static AgeFacts Unknown { get; } = new(null, null);

    public static AgeFacts Born(DateRange? birthDate) => new(birthDate, null);

    /// <summary>An age a questionnaire states (read as the age on the date of service).</summary>
    public static AgeFacts Stated(int? years) => new(null, years);

    /// <summary>
    /// The possible ages on <paramref name="dateOfService"/>; the birth date wins over a stated age.
    /// Null when unknown (no birth date and no stated age, or a birth date with no date to count to).
    /// </summary>
    public AgeRange? On(DateRange? dateOfService)
    {
        if (BirthDate is { } birth)
        {
            return dateOfService is null ? null : AgeRange.Between(birth, dateOfService);
        }

        return StatedYears is { } years && years >= 0 ? AgeRange.Exactly(years) : null;
    }

    public override string ToString() => BirthDate is { } b ? $"born {b}" : StatedYears is { } y ? $"stated age {y}" : "age unknown";
}
