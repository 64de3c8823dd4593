using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Http;

/// <summary>Read and search (by _id, url, version) over the artefacts we publish.</summary>
public static class ArtifactSearch
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal) { "_id", "url", "version", "_count", "_format" };

    public static FhirResourceResult Read(string type, string id, PublishedArtifacts artifacts) =>
        artifacts.Read(type, id) is { } resource
            ? new FhirResourceResult(resource)
            : throw new DtrRequestException(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{type}/{id} is not known.");

    public static FhirResourceResult Search(string type, HttpRequest request, PublishedArtifacts artifacts)
    {
        var unknown = request.Query.Keys.FirstOrDefault(k => !Supported.Contains(k));
        if (unknown is not null)
        {
            throw new DtrRequestException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotSupported, $"Search parameter '{unknown}' is not supported for {type}; use _id, url or version.");
        }

        var id = request.Query["_id"].ToString();
        var url = request.Query["url"].ToString();
        var version = request.Query["version"].ToString();
        var matches = artifacts.OfType(type)
            .Where(r => id.Length == 0 || r.Id == id)
            .Where(r => url.Length == 0 || ((IVersionableConformanceResource)r).Url == url)
            .Where(r => version.Length == 0 || ((IVersionableConformanceResource)r).Version == version)
            .ToList();

        var self = PublicEndpoints.Of(request.HttpContext).UrlOf(request);
        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = Bundle.BundleType.Searchset,
            Total = matches.Count,
            Link = [new Bundle.LinkComponent { Relation = "self", Url = self }],
            Entry = matches.Select(r => new Bundle.EntryComponent
            {
                FullUrl = $"{DtrCanonicals.Base}/{type}/{r.Id}",
                Resource = r,
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
            }).ToList(),
        };
        return new FhirResourceResult(bundle);
    }
}
