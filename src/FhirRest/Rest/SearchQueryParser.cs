using Hl7.Fhir.Model;
using Microsoft.Extensions.Primitives;
using SpinePolicy.FhirRest.Http;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>
/// Turns a search query string into a <see cref="ResourceSearch"/>, refusing (400) any parameter
/// the type does not list in <see cref="FhirRestCatalog"/>, modifiers, OR-lists and bad values:
/// silently ignoring a filter would return data the caller did not ask for.
/// </summary>
public static class SearchQueryParser
{
    /// <summary>Carries the store's opaque continuation in next links.</summary>
    public const string CursorParameter = "_cursor";

    public const int DefaultCount = 20;

    public const int MaxCount = 1000;

    /// <summary>Parameters every search accepts besides the type's own.</summary>
    public static readonly IReadOnlyList<string> ResultParameters = ["_count", "_sort", "_total", "_format", CursorParameter];

    public static ResourceSearch Parse(ServedResourceType type, IEnumerable<KeyValuePair<string, StringValues>> query)
    {
        var search = new ResourceSearch(type.Type) { Count = DefaultCount, NewestFirst = true };
        foreach (var (name, values) in query)
        {
            search = Apply(type, search, name, values);
        }

        return search;
    }

    private static ResourceSearch Apply(ServedResourceType type, ResourceSearch search, string name, StringValues values)
    {
        if (name.Contains(':'))
        {
            throw FhirHttpException.BadRequest($"Search modifiers are not supported ('{name}').");
        }

        switch (name)
        {
            case "_format":
                return search;
            case "_count":
                return search with { Count = ParseCount(Single(name, values)) };
            case "_sort":
                return search with { NewestFirst = ParseSort(Single(name, values)) };
            case "_total":
                return search with { IncludeTotal = ParseTotal(Single(name, values)) };
            case CursorParameter:
                return search with { After = Single(name, values) };
        }

        var parameter = type.SearchParameter(name)
            ?? throw FhirHttpException.BadRequest(
                $"Unknown or unsupported search parameter '{name}' for {type.Type}. Supported: {string.Join(", ", type.SearchParameters.Select(p => p.Name).Concat(ResultParameters))}.");

        if (parameter.Type == SearchParamType.Date)
        {
            return ApplyDates(search, parameter.Name, values);
        }

        var value = Single(name, values);
        if (value.Contains(','))
        {
            throw FhirHttpException.BadRequest($"'{name}' accepts one value; lists (a,b) are not supported.");
        }

        return parameter.Name switch
        {
            "_id" => search with { Id = ValidId(name, value) },
            "patient" => search with { PatientId = ValidId(name, PatientId(value)) },
            "status" => search with { Status = value },
            "identifier" => ApplyIdentifier(search, value),
            _ => throw FhirHttpException.BadRequest($"Search parameter '{name}' is not supported on this route."),
        };
    }

    private static ResourceSearch ApplyIdentifier(ResourceSearch search, string value)
    {
        var bar = value.IndexOf('|', StringComparison.Ordinal);
        if (bar < 0)
        {
            return search with { IdentifierValue = value };
        }

        var system = value[..bar];
        var code = value[(bar + 1)..];
        if (code.Length == 0)
        {
            throw FhirHttpException.BadRequest("identifier needs a value: system|value or value.");
        }

        return search with { IdentifierSystem = system.Length == 0 ? null : system, IdentifierValue = code };
    }

    private static ResourceSearch ApplyDates(ResourceSearch search, string name, StringValues values)
    {
        var lastUpdated = name == "_lastUpdated";
        var from = lastUpdated ? search.LastUpdatedFrom : search.CreatedFrom;
        var to = lastUpdated ? search.LastUpdatedTo : search.CreatedTo;
        foreach (var raw in values)
        {
            var text = raw ?? "";
            var prefix = text.Length > 2 && char.IsLetter(text[0]) ? text[..2] : "eq";
            var dateText = text.Length > 2 && char.IsLetter(text[0]) ? text[2..] : text;
            if (!FhirDateRange.TryParse(dateText, out var range))
            {
                throw FhirHttpException.BadRequest($"'{name}' needs a FHIR date or dateTime (optionally prefixed ge, le, gt, lt, eq); got '{text}'.");
            }

            (DateTimeOffset? low, DateTimeOffset? high) = prefix switch
            {
                "eq" => ((DateTimeOffset?)range.Low, (DateTimeOffset?)range.High),
                "ge" => (range.Low, null),
                "gt" => (range.JustAfter, null),
                "le" => (null, range.High),
                "lt" => (null, range.JustBefore),
                _ => throw FhirHttpException.BadRequest($"Date prefix '{prefix}' is not supported; use ge, le, gt, lt or eq."),
            };
            from = Max(from, low);
            to = Min(to, high);
        }

        return lastUpdated
            ? search with { LastUpdatedFrom = from, LastUpdatedTo = to }
            : search with { CreatedFrom = from, CreatedTo = to };
    }

    private static string Single(string name, StringValues values)
    {
        if (values.Count != 1 || string.IsNullOrEmpty(values[0]))
        {
            throw FhirHttpException.BadRequest($"'{name}' must be given exactly once, with a value.");
        }

        return values[0]!;
    }

    private static int ParseCount(string value)
    {
        if (!int.TryParse(value, out var count) || count < 1)
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
        _ => throw FhirHttpException.BadRequest("_sort supports _lastUpdated and -_lastUpdated only."),
    };

    /// <summary>"Patient/123" or "123"; an absolute URL's last two segments.</summary>
    private static string PatientId(string value)
    {
        var segments = value.Split('/');
        return segments.Length >= 2 && segments[^2] == "Patient" ? segments[^1]
            : segments.Length == 1 ? value
            : throw FhirHttpException.BadRequest("patient must be Patient/{id} or {id}.");
    }

    private static string ValidId(string name, string value) =>
        FhirIds.IsValid(value) ? value : throw FhirHttpException.BadRequest($"'{name}' is not a valid FHIR id.");

    private static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a > b ? a : b);

    private static DateTimeOffset? Min(DateTimeOffset? a, DateTimeOffset? b) => a is null ? b : b is null ? a : (a < b ? a : b);
}
