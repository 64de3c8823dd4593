using System.Text.RegularExpressions;
using Hl7.Fhir.Rest;
using Hl7.Fhir.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// How the caller wants FHIR answers written, the same way for every /fhir endpoint: the format
/// (<c>_format</c> wins over Accept; JSON when nothing is asked), and the subset (<c>_summary</c>
/// or <c>_elements</c>, applied through Firely's serialization filters). A format we do not speak is
/// a 406; a malformed <c>_summary</c> or <c>_elements</c> is a 400. Worked out once per request.
/// </summary>
public sealed partial record FhirResponseShape(FhirFormat Format, SummaryType Summary, IReadOnlyList<string>? Elements)
{
    private static readonly object ItemKey = new();

    public static FhirResponseShape Default { get; } = new(FhirFormat.Json, SummaryType.False, null);

    /// <summary>True when only part of each resource is written (FHIR tags such resources SUBSETTED).</summary>
    public bool IsSubset => Summary is SummaryType.True or SummaryType.Text or SummaryType.Data || Elements is not null;

    /// <summary>
    /// The shape of this request's answers, from the query (or what <see cref="Use"/> set, e.g. the
    /// form of a POST _search). Throws 406/400 <see cref="FhirHttpException"/>s.
    /// </summary>
    public static FhirResponseShape Of(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is FhirResponseShape shape)
        {
            return shape;
        }

        var parsed = Parse(context.Request.Query["_format"], context.Request.Headers.Accept, context.Request.Query["_summary"], context.Request.Query["_elements"]);
        context.Items[ItemKey] = parsed;
        return parsed;
    }

    /// <summary>The format to write an error in: never throws (an unknown format gets JSON).</summary>
    public static FhirFormat ErrorFormat(HttpContext context)
    {
        if (context.Items.TryGetValue(ItemKey, out var cached) && cached is FhirResponseShape shape)
        {
            return shape.Format;
        }

        return TryFormat(Given(context.Request.Query["_format"]), context.Request.Headers.Accept) ?? FhirFormat.Json;
    }

    /// <summary>Parses and remembers the shape from parameters that did not come in the query (a POST _search form).</summary>
    public static FhirResponseShape Use(HttpContext context, IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var all = parameters.ToLookup(p => p.Key, p => p.Value, StringComparer.Ordinal);
        StringValues Get(string name) => StringValues.Concat(context.Request.Query[name], new StringValues([.. all[name].SelectMany(v => v.ToArray())]));
        var parsed = Parse(Get("_format"), context.Request.Headers.Accept, Get("_summary"), Get("_elements"));
        context.Items[ItemKey] = parsed;
        return parsed;
    }

    /// <summary>The Firely filter for this shape; <paramref name="searchBundle"/> filters the entries, not the Bundle.</summary>
    public Func<SerializationFilter>? Filter(bool searchBundle)
    {
        if (!IsSubset)
        {
            return null;
        }

        // id and meta always come along: meta carries the SUBSETTED tag that says part is missing.
        var (summary, names) = Elements is { } elements
            ? (SummaryType.False, elements.Union(["id", "meta"], StringComparer.Ordinal).ToArray())
            : (Summary, Array.Empty<string>());
        SerializationFilter Make() => summary.GetSerializationFilter(names, true)
            ?? throw new InvalidOperationException($"Firely has no serialization filter for _summary={summary}.");
        return searchBundle ? () => new BundleFilter(Make()) : Make;
    }

    private static FhirResponseShape Parse(StringValues format, StringValues accept, StringValues summary, StringValues elements)
    {
        // An empty value is no value, as FHIR says of search parameters: _format= is the default
        // format, _summary= and _elements= the whole resource, on every endpoint alike.
        (format, summary, elements) = (Given(format), Given(summary), Given(elements));
        var chosen = TryFormat(format, accept)
            ?? throw FhirHttpException.NotSupported(StatusCodes.Status406NotAcceptable,
                "No acceptable format: this server writes FHIR R4 as JSON or XML (_format=json|xml, Accept: application/fhir+json or application/fhir+xml).");

        var summaryType = ParseSummary(summary);
        var elementNames = ParseElements(elements);
        if (elementNames is not null && summaryType != SummaryType.False)
        {
            throw FhirHttpException.BadRequest("_summary and _elements cannot be used together; use one of them.");
        }

        return new FhirResponseShape(chosen, summaryType, elementNames);
    }

    private static StringValues Given(StringValues values) =>
        values.Any(string.IsNullOrEmpty) ? new StringValues([.. values.Where(v => !string.IsNullOrEmpty(v))]) : values;

    private static FhirFormat? TryFormat(StringValues format, StringValues accept)
    {
        if (format.Count > 0)
        {
            return format.Count == 1 && !string.IsNullOrWhiteSpace(format[0]) ? FromFormatParameter(format[0]!) : null;
        }

        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList([.. accept.OfType<string>()], out var accepted) || accepted.Count == 0)
        {
            return FhirFormat.Json;
        }

        foreach (var media in accepted.Where(m => (m.Quality ?? 1.0) > 0).OrderByDescending(m => m.Quality ?? 1.0))
        {
            if (FromMediaType(media) is { } known)
            {
                return known;
            }
        }

        return null;
    }

    private static FhirFormat? FromFormatParameter(string value) =>
        value.Contains('/', StringComparison.Ordinal)
            ? MediaTypeHeaderValue.TryParse(value, out var media) ? FromMediaType(media) : null
            : FhirMediaTypes.FromName(value);

    /// <summary>A media type we can answer with; <c>*/*</c> and <c>application/*</c> get JSON; another FHIR version gets none.</summary>
    private static FhirFormat? FromMediaType(MediaTypeHeaderValue media)
    {
        var version = media.Parameters.FirstOrDefault(p => p.Name.Equals("fhirVersion", StringComparison.OrdinalIgnoreCase))?.Value.Value?.Trim('"');
        if (version is not null && !version.StartsWith("4.0", StringComparison.Ordinal))
        {
            return null;
        }

        var type = media.MediaType.Value ?? "";
        return type is "*/*" or "application/*" ? FhirFormat.Json : FhirMediaTypes.FromName(type);
    }

    private static SummaryType ParseSummary(StringValues values)
    {
        if (values.Count == 0)
        {
            return SummaryType.False;
        }

        return values.Count == 1 ? values[0] switch
        {
            "true" => SummaryType.True,
            "false" => SummaryType.False,
            "text" => SummaryType.Text,
            "data" => SummaryType.Data,
            "count" => SummaryType.Count,
            _ => throw FhirHttpException.BadRequest("_summary must be true, false, text, data or count."),
        }
        : throw FhirHttpException.BadRequest("_summary must be given once.");
    }

    private static List<string>? ParseElements(StringValues values)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var names = values.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (names.Count == 0)
        {
            throw FhirHttpException.BadRequest("_elements needs a comma-separated list of element names, e.g. _elements=status,identifier.");
        }

        foreach (var name in names)
        {
            if (!ElementName().IsMatch(name))
            {
                throw FhirHttpException.BadRequest($"_elements: '{name}' is not an element name (letters and digits, e.g. status or valueQuantity).");
            }
        }

        return names;
    }

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ElementName();
}
