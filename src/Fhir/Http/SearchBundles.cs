using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// Search results as a searchset Bundle, the same for every /fhir type: entries with
/// <c>fullUrl</c>s on this server's public FHIR base, a self link that says what was searched, a
/// next link that carries the paging cursor, the total when asked (always with
/// <c>_summary=count</c>, which has no entries), and the parameters a lenient search ignored.
/// </summary>
public static class SearchBundles
{
    public static Bundle Build(HttpContext context, SearchRequest search, IEnumerable<Resource> page, string? nextCursor, int? total)
    {
        var fhirBase = PublicEndpoints.Of(context).FhirBase;
        var self = $"{fhirBase}/{search.ResourceType}";
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = Bundle.BundleType.Searchset,
            Total = total,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = Url(self, search.Applied) }],
        };

        if (search.CountOnly)
        {
            return bundle;
        }

        if (nextCursor is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent
            {
                Relation = "next",
                Url = Url(self, [.. search.Applied, new(SearchRequest.CursorParameter, nextCursor)]),
            });
        }

        foreach (var resource in page)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{fhirBase}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        if (search.Ignored.Count > 0)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid()}",
                Resource = OperationOutcomes.Issue(OperationOutcome.IssueSeverity.Warning, OperationOutcome.IssueType.NotSupported,
                    $"Ignored (Prefer: handling=lenient): {string.Join(", ", search.Ignored.Distinct(StringComparer.Ordinal))}; they are not search parameters of {search.ResourceType}."),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
            });
        }

        return bundle;
    }

    private static string Url(string path, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var url = path;
        foreach (var (name, value) in parameters)
        {
            url = QueryHelpers.AddQueryString(url, name, value);
        }

        return url;
    }
}
