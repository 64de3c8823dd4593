using System.Globalization;
using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Paging for searches answered from memory (published artefacts, derived resources): the matches
/// in <c>_sort</c> order, cut at <c>_count</c>, with an offset as the <c>_cursor</c> of the next page
/// (also the cursor of searches a store pages by offset).
/// </summary>
public static class InMemorySearchPage
{
    public static Bundle Build(Microsoft.AspNetCore.Http.HttpContext context, SearchRequest search, IEnumerable<Resource> matches)
    {
        var ordered = (search.NewestFirst
                ? matches.OrderByDescending(r => r.Meta?.LastUpdated).ThenByDescending(r => r.Id, StringComparer.Ordinal)
                : matches.OrderBy(r => r.Meta?.LastUpdated).ThenBy(r => r.Id, StringComparer.Ordinal))
            .ToList();
        var offset = Offset(search.Cursor);
        var page = ordered.Skip(offset).Take(search.Count).ToList();
        var next = offset + page.Count < ordered.Count ? (offset + page.Count).ToString(CultureInfo.InvariantCulture) : null;
        return SearchBundles.Build(context, search, page, next, ordered.Count);
    }

    /// <summary>The offset an offset-paged search's <c>_cursor</c> carries (0 for the first page); 400 for a cursor this server did not issue.</summary>
    public static int Offset(string? cursor)
    {
        if (cursor is null)
        {
            return 0;
        }

        return int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : throw FhirHttpException.BadRequest("_cursor is not a paging cursor this server issued; follow the Bundle's next link.");
    }
}
