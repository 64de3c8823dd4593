using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.Rest;

/// <summary>Search results as a searchset Bundle with self and next links.</summary>
public static class SearchBundles
{
    public static Bundle Build(HttpRequest request, IEnumerable<Resource> resources, string? next, int? total)
    {
        var baseUrl = CapabilityStatementFactory.BaseUrl(request);
        var bundle = new Bundle
        {
            Type = Bundle.BundleType.Searchset,
            Total = total,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = PublicEndpoints.Of(request.HttpContext).UrlOf(request) }],
        };
        if (next is not null)
        {
            bundle.Link.Add(new Bundle.LinkComponent { Relation = "next", Url = NextUrl(request, next) });
        }

        foreach (var resource in resources)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"{baseUrl}/{resource.TypeName}/{resource.Id}",
                Resource = resource,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            });
        }

        return bundle;
    }

    public static Bundle Build(HttpRequest request, SearchPage page) =>
        Build(request, page.Resources.Where(r => !r.Deleted).Select(StoredResources.ToResource), page.Next, page.Total);

    /// <summary>The same search with the store's continuation: the filters travel with the link.</summary>
    private static string NextUrl(HttpRequest request, string next)
    {
        var query = request.Query
            .Where(p => p.Key != SearchQueryParser.CursorParameter)
            .Select(p => new KeyValuePair<string, StringValues>(p.Key, p.Value))
            .Append(new KeyValuePair<string, StringValues>(SearchQueryParser.CursorParameter, next));
        return PublicEndpoints.Of(request.HttpContext).BaseUrl + request.Path.ToUriComponent() + QueryString.Create(query).ToUriComponent();
    }
}
