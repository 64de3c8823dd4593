using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.Fhir.Facts;

/// <summary>
/// FHIR dates as the calendar days they state. A date or dateTime is the day written, in the
/// writer's own time zone (a procedure at 23:30 local time is on that local day, whatever UTC says);
/// a partial date ("2026", "2026-03") is every day it may mean; a Period is the days from its start
/// to its end; a Timing its events or its bounds.
/// </summary>
public static class FhirDates
{
    /// <summary>The days a value of a [x] element states, or null when it states none.</summary>
    public static DateRange? Of(DataType? value, string element) => value switch
    {
        null => null,
        Date date => Of(date, element),
        FhirDateTime dateTime => Of(dateTime, element),
        Instant instant => Of(instant, element),
        Period period => Of(period, element),
        Timing timing => Of(timing, element),
        _ => null,
    };

    public static DateRange? Of(Date? date, string element)
    {
        if (date?.Value is null)
        {
            return null;
        }

        if (!date.TryToSystemDate(out var parsed) || parsed?.Years is not { } year)
        {
            throw Unreadable(element, date.Value);
        }

        return Range(year, parsed.Months, parsed.Days, element, date.Value);
    }

    public static DateRange? Of(FhirDateTime? dateTime, string element)
    {
        if (dateTime?.Value is null)
        {
            return null;
        }

        if (!dateTime.TryToSystemDateTime(out var parsed) || parsed?.Years is not { } year)
        {
            throw Unreadable(element, dateTime.Value);
        }

        return Range(year, parsed.Months, parsed.Days, element, dateTime.Value);
    }

    public static DateRange? Of(Instant? instant, string element)
    {
        if (instant?.Value is null)
        {
            return null;
        }

        if (!instant.TryToSystemDateTime(out var parsed) || parsed?.Years is not { } year)
        {
            throw Unreadable(element, instant.ToString() ?? string.Empty);
        }

        return Range(year, parsed.Months, parsed.Days, element, instant.ToString() ?? string.Empty);
    }

    /// <summary>From the first day the start may mean to the last day the end may mean; an open end is the start's days.</summary>
    public static DateRange? Of(Period? period, string element)
    {
        var start = Of(period?.StartElement, $"{element}.start");
        var end = Of(period?.EndElement, $"{element}.end");
        return (start, end) switch
        {
            (null, null) => null,
            ({ } s, null) => s,
            (null, { } e) => e,
            ({ } s, { } e) when e.End >= s.Start => new DateRange(s.Start, e.End),
            _ => throw FhirHttpException.BadRequest($"{element} ends before it starts.", element),
        };
    }

    /// <summary>A Timing's events (first to last), else its repeat bounds.</summary>
    public static DateRange? Of(Timing? timing, string element)
    {
        if (timing is null)
        {
            return null;
        }

        var events = timing.EventElement
            .Select((e, i) => Of(e, $"{element}.event[{i}]"))
            .OfType<DateRange>()
            .ToList();
        if (events.Count > 0)
        {
            return new DateRange(events.Min(e => e.Start), events.Max(e => e.End));
        }

        return timing.Repeat?.Bounds is Period bounds ? Of(bounds, $"{element}.repeat.boundsPeriod") : null;
    }

    private static DateRange Range(int year, int? month, int? day, string element, string written)
    {
        try
        {
            return (month, day) switch
            {
                ({ } m, { } d) => DateRange.Day(new DateOnly(year, m, d)),
                ({ } m, null) => DateRange.Month(year, m),
                _ => DateRange.Year(year),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            throw Unreadable(element, written);
        }
    }

    private static FhirHttpException Unreadable(string element, string written) =>
        FhirHttpException.BadRequest($"{element} '{written}' is not a date this server can read.", element);
}
