using System.Globalization;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// The days a report covers, both inclusive, in UTC: a request belongs to the period in which it
/// was received. CMS-0057-F reports a calendar year; any range can be asked for.
/// </summary>
internal sealed record ReportingPeriod(DateOnly From, DateOnly To)
{
    public static ReportingPeriod Year(int year) => new(new DateOnly(year, 1, 1), new DateOnly(year, 12, 31));

    /// <summary>The first instant of the period.</summary>
    public DateTimeOffset Start => new(From.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    /// <summary>The first instant after the period.</summary>
    public DateTimeOffset End => new(To.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);

    public bool Contains(DateTimeOffset instant) => instant >= Start && instant < End;

    public bool IsCalendarYear => From.Month == 1 && From.Day == 1 && To == new DateOnly(From.Year, 12, 31);

    /// <summary>The query that asks for this period: year=2025, or from=…&amp;to=….</summary>
    public string Query => IsCalendarYear
        ? $"year={From.Year.ToString(CultureInfo.InvariantCulture)}"
        : $"from={From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}&to={To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>"calendar year 2025" or "2025-01-01 to 2025-03-31".</summary>
    public string Describe() => IsCalendarYear
        ? $"calendar year {From.Year.ToString(CultureInfo.InvariantCulture)}"
        : $"{From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} to {To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";
}
