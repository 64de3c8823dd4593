namespace SpinePolicy.Fhir.Http;

/// <summary>
/// What the occurrences of one date parameter allow, AND-ed together: instants from
/// <see cref="From"/> to <see cref="To"/> (inclusive, either open), or nothing at all
/// (<see cref="Empty"/>: e.g. <c>lt0001-01-01</c>, or <c>ge2027&amp;le2026</c>).
/// </summary>
public sealed record DateSearchBounds(DateTimeOffset? From, DateTimeOffset? To, bool Empty)
{
    public static DateSearchBounds Any { get; } = new(null, null, false);

    /// <summary>Reads the occurrences of a date parameter (each one value, optionally prefixed eq, ge, gt, le, lt).</summary>
    public static DateSearchBounds Parse(string name, IEnumerable<string> occurrences)
    {
        var bounds = Any;
        foreach (var text in occurrences)
        {
            bounds = bounds.And(One(name, text));
        }

        return bounds;
    }

    public bool Contains(DateTimeOffset instant) => !Empty && (From is null || instant >= From) && (To is null || instant <= To);

    private DateSearchBounds And(DateSearchBounds other)
    {
        var from = From is null ? other.From : other.From is null ? From : (From > other.From ? From : other.From);
        var to = To is null ? other.To : other.To is null ? To : (To < other.To ? To : other.To);
        return new DateSearchBounds(from, to, Empty || other.Empty || (from is not null && to is not null && from > to));
    }

    private static DateSearchBounds One(string name, string text)
    {
        var prefixed = text.Length > 2 && char.IsLetter(text[0]) && char.IsLetter(text[1]);
        var prefix = prefixed ? text[..2] : "eq";
        var dateText = prefixed ? text[2..] : text;
        if (!FhirDateRange.TryParse(dateText, out var range))
        {
            throw FhirHttpException.BadRequest($"'{name}' needs a FHIR date or dateTime (optionally prefixed eq, ge, gt, le or lt), e.g. ge2026-01-01; got '{text}'.");
        }

        return prefix switch
        {
            "eq" => new DateSearchBounds(range.Low, range.High, false),
            "ge" => new DateSearchBounds(range.Low, null, false),
            "le" => new DateSearchBounds(null, range.High, false),
            "gt" => range.JustAfter is { } after ? new DateSearchBounds(after, null, false) : new DateSearchBounds(null, null, true),
            "lt" => range.JustBefore is { } before ? new DateSearchBounds(null, before, false) : new DateSearchBounds(null, null, true),
            _ => throw FhirHttpException.BadRequest($"'{name}': the prefix '{prefix}' is not supported; use eq, ge, gt, le or lt."),
        };
    }
}
