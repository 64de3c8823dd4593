using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Artifacts;

/// <summary>
/// Read and search over the artefacts we publish, with the conventions of every /fhir search:
/// comma OR lists, <c>url</c> as a canonical (<c>url|version</c>, as a CRD card names a
/// questionnaire), <c>_count</c> paging, strict or lenient handling of unknown parameters.
/// </summary>
internal static class ArtifactSearch
{
    public static FhirResult Read(string type, string id, PublishedArtifacts artifacts)
    {
        if (!FhirIds.IsValid(id))
        {
            throw FhirHttpException.BadRequest($"'{id}' is not a valid FHIR id.");
        }

        return artifacts.Read(type, id) is { } resource
            ? FhirResult.Ok(resource)
            : throw FhirHttpException.NotFound($"{type}/{id} is not known.");
    }

    public static async Task<FhirResult> SearchAsync(string type, HttpContext context, PublishedArtifacts artifacts, FhirCapabilities capabilities, CancellationToken cancellationToken)
    {
        var parameters = await FhirSearchRoutes.ParametersAsync(context.Request, cancellationToken);
        var search = SearchRequest.Parse(capabilities.Find(type)!, parameters, FhirPrefer.Lenient(context.Request));
        var matches = artifacts.OfType(type).Where(resource => Matches(search, resource));
        var bundle = InMemorySearchPage.Build(context, search, matches);
        if (!search.CountOnly)
        {
            AddSupersessionNotes(bundle, type, search, artifacts);
        }

        return FhirResult.Ok(bundle);
    }

    /// <summary>
    /// A search naming a version we published before and have since superseded matches nothing
    /// (its content is no longer served, and serving the current form under an older version's
    /// name would misstate it), but the searchset says so and names the current version, rather
    /// than leaving a client to think the form was never ours.
    /// </summary>
    private static void AddSupersessionNotes(Bundle bundle, string type, SearchRequest search, PublishedArtifacts artifacts)
    {
        var urls = search.Of("url").SelectMany(c => c.Values).Select(SearchValues.Unescape).ToList();
        var versions = search.Of("version").SelectMany(c => c.Tokens).Select(t => t.Code).OfType<string>().ToList();
        var named = urls.Where(u => u.Contains('|', StringComparison.Ordinal))
            .Concat(urls.Where(u => !u.Contains('|', StringComparison.Ordinal)).SelectMany(u => versions.Select(v => $"{u}|{v}")));
        var notes = named
            .Select(artifacts.Resolve<IVersionableConformanceResource>)
            .Where(r => r is { IsSuperseded: true } && ((Resource)r.Resource).TypeName == type)
            .Select(r => r!.SupersessionNote())
            .Distinct(StringComparer.Ordinal);
        foreach (var note in notes)
        {
            bundle.Entry.Add(new Bundle.EntryComponent
            {
                FullUrl = $"urn:uuid:{Guid.NewGuid()}",
                Resource = OperationOutcomes.Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, note),
                Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Outcome },
            });
        }
    }

    private static bool Matches(SearchRequest search, Resource resource)
    {
        var conformance = (IVersionableConformanceResource)resource;
        return search.Of("_id").All(c => c.Tokens.Any(t => t.Code == resource.Id))
            && search.Of("url").All(c => c.Values.Any(v => MatchesCanonical(SearchValues.Unescape(v), conformance)))
            && search.Of("version").All(c => c.Tokens.Any(t => t.Code == conformance.Version))
            && search.Of("name").All(c => c.Values.Any(v => conformance.Name?.StartsWith(SearchValues.Unescape(v), StringComparison.OrdinalIgnoreCase) == true))
            && search.Of("status").All(c => conformance.Status is { } status && c.Tokens.Any(t => t.Code == Hl7.Fhir.Utility.EnumUtility.GetLiteral(status)));
    }

    /// <summary>A canonical search value: <c>url</c>, or <c>url|version</c> for one version.</summary>
    private static bool MatchesCanonical(string value, IVersionableConformanceResource resource)
    {
        var bar = value.LastIndexOf('|');
        return bar < 0
            ? resource.Url == value
            : resource.Url == value[..bar] && resource.Version == value[(bar + 1)..];
    }
}
