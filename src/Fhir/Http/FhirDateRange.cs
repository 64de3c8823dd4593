using System.Globalization;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// A FHIR date search value (yyyy, yyyy-MM, yyyy-MM-dd or a dateTime) as the instants it covers,
/// both ends inclusive, to millisecond precision (what the stores keep). A value without a zone is
/// read as UTC. The ends of the calendar are safe: <c>9999</c> ends at <see cref="DateTimeOffset.MaxValue"/>,
/// and nothing lies before <c>0001-01-01</c> or after the last instant.
/// </summary>
public readonly record struct FhirDateRange(DateTimeOffset Low, DateTimeOffset High)
{
    private static readonly TimeSpan Millisecond = TimeSpan.FromMilliseconds(1);

    private static readonly (string Format, Func<DateTimeOffset, DateTimeOffset> Next)[] Formats =
    [
        ("yyyy", d => d.AddYears(1)),
        ("yyyy-MM", d => d.AddMonths(1)),
        ("yyyy-MM-dd", d => d.AddDays(1)),
        ("yyyy-MM-ddTHH:mmK", d => d.AddMinutes(1)),
        ("yyyy-MM-ddTHH:mm:ssK", d => d.AddSeconds(1)),
        ("yyyy-MM-ddTHH:mm:ss.FFFFFFFK", d => d.AddMilliseconds(1)),
    ];

    public static bool TryParse(string text, out FhirDateRange range)
    {
        foreach (var (format, next) in Formats)
        {
            if (DateTimeOffset.TryParseExact(text, format, CultureInfo.InvariantCulture,
                    DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var low))
            {
                range = new FhirDateRange(low, EndOf(low, next));
                return true;
            }
        }

        range = default;
        return false;
    }

    /// <summary>The first instant after the range; null when the range ends with time itself.</summary>
    public DateTimeOffset? JustAfter => High == DateTimeOffset.MaxValue ? null : High + Millisecond;

    /// <summary>The last instant before the range; null when the range starts with time itself.</summary>
    public DateTimeOffset? JustBefore => Low - DateTimeOffset.MinValue < Millisecond ? null : Low - Millisecond;

    private static DateTimeOffset EndOf(DateTimeOffset low, Func<DateTimeOffset, DateTimeOffset> next)
    {
        try
        {
            return next(low) - Millisecond;
        }
        catch (ArgumentOutOfRangeException)
        {
            // The last year, month or day of the calendar has no "next": it ends with the last instant.
            return DateTimeOffset.MaxValue;
        }
    }
}
