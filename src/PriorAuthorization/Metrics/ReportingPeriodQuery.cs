using System.Globalization;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// Reads the period a report is asked for: "year=YYYY" for a calendar year, or "from"/"to"
/// (yyyy-MM-dd, both inclusive; "to" defaults to today) for any range; with neither, the previous
/// calendar year, the one CMS-0057-F has payers post by March 31.
/// </summary>
internal static class ReportingPeriodQuery
{
    /// <summary>The longest range one report covers.</summary>
    public const int MaxDays = 3700;

    /// <summary>The period, or the reason the query does not name one.</summary>
    public static (ReportingPeriod? Period, string? Problem) Read(string? year, string? from, string? to, DateOnly today)
    {
        if (year is not null)
        {
            if (from is not null || to is not null)
            {
                return (null, "Ask for either a calendar year (year=YYYY) or a range (from=YYYY-MM-DD&to=YYYY-MM-DD), not both.");
            }

            return int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) && y is >= 2000 and <= 9998
                ? (ReportingPeriod.Year(y), null)
                : (null, $"year must be a four-digit calendar year such as {today.Year - 1}, not '{year}'.");
        }

        if (from is null && to is null)
        {
            return (ReportingPeriod.Year(today.Year - 1), null);
        }

        if (from is null)
        {
            return (null, "A range needs its first day: from=YYYY-MM-DD.");
        }

        if (!TryDate(from, out var start))
        {
            return (null, $"from must be a date written YYYY-MM-DD, not '{from}'.");
        }

        var end = today;
        if (to is not null && !TryDate(to, out end))
        {
            return (null, $"to must be a date written YYYY-MM-DD, not '{to}'.");
        }

        if (end < start)
        {
            return (null, "to is before from; a range runs from its first day to its last.");
        }

        return end.DayNumber - start.DayNumber > MaxDays
            ? (null, $"A report covers at most {MaxDays} days; ask for a shorter range or one year at a time.")
            : (new ReportingPeriod(start, end), null);
    }

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date) && date.Year is >= 2000 and <= 9998;
}
