namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// A calendar date known to lie between <see cref="Start"/> and <see cref="End"/> (both included).
/// A full date is a single day; a partial one ("2001", "2001-12") or a period is a range. Birth
/// dates and dates of service are both read this way, so that a decision never rests on a day the
/// record does not state.
/// </summary>
public sealed record DateRange
{
    public DateRange(DateOnly start, DateOnly end)
    {
        if (end < start)
        {
            throw new ArgumentException($"A date range cannot end ({end:yyyy-MM-dd}) before it starts ({start:yyyy-MM-dd}).", nameof(end));
        }

        Start = start;
        End = end;
    }

    public DateOnly Start { get; }

    public DateOnly End { get; }

    public bool IsSingleDay => Start == End;

    public static DateRange Day(DateOnly day) => new(day, day);

    /// <summary>A whole year, as a year-only FHIR date states it.</summary>
    public static DateRange Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>A whole month, as a year-month FHIR date states it.</summary>
    public static DateRange Month(int year, int month) => new(new DateOnly(year, month, 1), new DateOnly(year, month, DateTime.DaysInMonth(year, month)));

    /// <summary>True when some day lies in both ranges.</summary>
    public bool Overlaps(DateRange other) => Start <= other.End && other.Start <= End;

    public override string ToString() => IsSingleDay ? $"{Start:yyyy-MM-dd}" : $"{Start:yyyy-MM-dd} to {End:yyyy-MM-dd}";
}
