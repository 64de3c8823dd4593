using System.Globalization;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// A FHIR date search value (yyyy, yyyy-MM, yyyy-MM-dd or a dateTime) as the instants it covers,
/// both ends inclusive, to millisecond precision (what the stores keep). A value without a zone is
/// read as UTC.
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
                range = new FhirDateRange(low, next(low) - Millisecond);
                return true;
            }
        }

        range = default;
        return false;
    }

    public DateTimeOffset JustAfter => High + Millisecond;

    public DateTimeOffset JustBefore => Low - Millisecond;
}
