using System.Globalization;
using Hl7.Fhir.Model;
using Hl7.Fhir.Rest;
using Microsoft.Extensions.Primitives;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// A search as the caller asked it, checked against what the type serves (its
/// <see cref="ServedSearchParameter"/>s) the same way on every /fhir type:
/// <list type="bullet">
/// <item>comma-separated values are alternatives (OR), repeated parameters must all hold (AND);</item>
/// <item>an empty value is ignored, as FHIR says;</item>
/// <item>an unknown parameter is a 400 (strict, this server's default) or, under
/// <c>Prefer: handling=lenient</c>, ignored and reported in the Bundle (FHIR's two handlings);</item>
/// <item>a modifier (<c>name:exact</c>) is always a 400: ignoring it would change what matches;</item>
/// <item>result parameters (<c>_count</c>, <c>_sort</c>, <c>_total</c>, <c>_summary</c>, <c>_elements</c>,
/// <c>_format</c>, and <c>_cursor</c> for paging) are understood everywhere.</item>
/// </list>
/// </summary>
public sealed record SearchRequest(
    string ResourceType,
    IReadOnlyList<SearchCriterion> Criteria,
    int Count,
    bool NewestFirst,
    bool IncludeTotal,
    string? Cursor,
    SummaryType Summary,
    IReadOnlyList<KeyValuePair<string, string>> Applied,
    IReadOnlyList<string> Ignored)
{
    public const string CursorParameter = "_cursor";
    public const int DefaultCount = 20;
    public const int MaxCount = 1000;

    /// <summary>Parameters every search understands besides the type's own.</summary>
    public static IReadOnlyList<string> ResultParameters { get; } = ["_count", "_sort", "_total", "_summary", "_elements", "_format", CursorParameter];

    /// <summary>Only the count is asked for (<c>_summary=count</c>): no entries, the total always.</summary>
    public bool CountOnly => Summary == SummaryType.Count;

    public static SearchRequest Parse(ServedResourceType type, IEnumerable<KeyValuePair<string, StringValues>> parameters, bool lenient)
    {
        var criteria = new List<SearchCriterion>();
        var applied = new List<KeyValuePair<string, string>>();
        var ignored = new List<string>();
        var request = new SearchRequest(type.Type, criteria, DefaultCount, true, false, null, SummaryType.False, applied, ignored);
        foreach (var (name, values) in parameters)
        {
            foreach (var value in values)
            {
                if (string.IsNullOrEmpty(value))
                {
                    continue;
                }

                if (name.Contains(':', StringComparison.Ordinal))
                {
                    throw FhirHttpException.BadRequest($"Search modifiers are not supported ('{name}').");
                }

                if (ResultParameters.Contains(name))
                {
                    request = request.WithResultParameter(name, value);
                    if (name != CursorParameter)
                    {
                        applied.Add(new(name, value));
                    }

                    continue;
                }

                if (type.SearchParameter(name) is not { } parameter)
                {
                    if (!lenient)
                    {
                        throw FhirHttpException.BadRequest(
                            $"Unknown or unsupported search parameter '{name}' for {type.Type}. Supported: {string.Join(", ", type.SearchParameters.Select(p => p.Name).Concat(ResultParameters.Where(p => p != CursorParameter)))}. (Send Prefer: handling=lenient to have unknown parameters ignored.)");
                    }

                    ignored.Add(name);
                    continue;
                }

                criteria.Add(Criterion(parameter, value));
                applied.Add(new(name, value));
            }
        }

        return request;
    }

    /// <summary>The occurrences of one parameter.</summary>
    public IEnumerable<SearchCriterion> Of(string name) => Criteria.Where(c => c.Name == name);

    /// <summary>The date bounds of a date parameter (AND of its occurrences).</summary>
    public DateSearchBounds Dates(string name) => DateSearchBounds.Parse(name, Of(name).Select(c => c.Values[0]));

    private static SearchCriterion Criterion(ServedSearchParameter parameter, string value)
    {
        if (parameter.Type == SearchParamType.Date)
        {
            if (SearchValues.SplitOr(value).Count > 1)
            {
                throw FhirHttpException.BadRequest($"'{parameter.Name}' takes one date per occurrence; repeat the parameter for a range (e.g. {parameter.Name}=ge2026-01-01&{parameter.Name}=lt2027-01-01).");
            }

            // Checked now, so that a bad date is a 400 whichever backend runs the search.
            DateSearchBounds.Parse(parameter.Name, [value]);
            return new SearchCriterion(parameter, [value]);
        }

        var values = SearchValues.SplitOr(value);
        if (values.Any(v => v.Length == 0))
        {
            throw FhirHttpException.BadRequest($"'{parameter.Name}' has an empty value in its comma-separated list.");
        }

        return new SearchCriterion(parameter, values);
    }

    private SearchRequest WithResultParameter(string name, string value) => name switch
    {
        "_count" => this with { Count = ParseCount(value) },
        "_sort" => this with { NewestFirst = ParseSort(value) },
        "_total" => this with { IncludeTotal = ParseTotal(value) },
        "_summary" => this with { Summary = value == "count" ? SummaryType.Count : Summary },
        CursorParameter => this with { Cursor = value },

        // _format, _elements and the rest of _summary shape the answer (FhirResponseShape).
        _ => this,
    };

    private static int ParseCount(string value)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count < 1)
        {
            throw FhirHttpException.BadRequest("_count must be a positive whole number.");
        }

        // The server may return fewer than asked; larger pages are capped rather than refused.
        return Math.Min(count, MaxCount);
    }

    /// <summary>"accurate" (and "estimate", answered accurately) counts every match; "none" does not.</summary>
    private static bool ParseTotal(string value) => value switch
    {
        "accurate" or "estimate" => true,
        "none" => false,
        _ => throw FhirHttpException.BadRequest("_total must be none, estimate or accurate."),
    };

    private static bool ParseSort(string value) => value switch
    {
        "-_lastUpdated" => true,
        "_lastUpdated" => false,
        _ => throw FhirHttpException.BadRequest("_sort supports _lastUpdated and -_lastUpdated."),
    };
}
