using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// The search conventions, each one theory over every searchable type (<see cref="EverySearchType"/>):
/// _count with next links, POST _search, fullUrls on the public base, _format and Accept, _summary
/// and _elements.
/// </summary>
public abstract partial class FhirConventionsSuite
{
    /// <summary>Every _format value FHIR defines for JSON and XML, and the format each must answer in.</summary>
    public static readonly (string Value, string MediaType)[] FormatValues =
    [
        ("json", "application/fhir+json"),
        ("xml", "application/fhir+xml"),
        ("application/fhir+json", "application/fhir+json"),
        ("application/fhir+xml", "application/fhir+xml"),
        ("application/json", "application/fhir+json"),
        ("application/xml", "application/fhir+xml"),
    ];

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_CountOnePagesThroughEveryMatchOnce(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        var (ids, pages, total) = await WalkAsync(search.Client, search.With("_count=1"));

        Assert.Equal(search.Ids.Order(), ids.Order());
        Assert.Equal(search.Ids.Count, pages);
        Assert.True(total is null || total == search.Ids.Count, $"{type}: total {total}");
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_PostSearchAnswersAsGet(string type)
    {
        using var search = await ArrangeSearchAsync(type);
        using var form = new FormUrlEncodedContent(search.Parameters);

        using var get = await search.Client.GetAsync(FhirHttp.Fhir(search.Query));
        using var post = await search.Client.PostAsync(FhirHttp.Fhir($"{type}/_search"), form);

        var fromGet = await MatchIdsAsync(get);
        Assert.Equal(search.Ids.Order(), fromGet.Order());
        Assert.Equal(fromGet, await MatchIdsAsync(post));
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_FullUrlsAndLinksOnThePublicBase(string type)
    {
        using var search = await ArrangeSearchAsync(type);
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(search.With("_count=2")));
        request.Headers.Host = "attacker.example";

        using var response = await search.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = await FhirHttp.ReadAsync<Bundle>(response);
        Assert.NotEmpty(bundle.Entry);
        Assert.All(bundle.Entry, e => Assert.Equal($"{PublicFhirBase}/{e.Resource!.TypeName}/{e.Resource.Id}", e.FullUrl));
        Assert.All(bundle.Link, l => Assert.StartsWith(PublicFhirBase + "/" + type, l.Url, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_EveryFormatValueAndAcceptAnswersThatFormat(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        foreach (var (value, mediaType) in FormatValues)
        {
            using var byParameter = await search.Client.GetAsync(FhirHttp.Fhir(search.With("_format=" + Uri.EscapeDataString(value))));
            using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(search.Query));
            request.Headers.TryAddWithoutValidation("Accept", value.Contains('/') ? value : mediaType);
            using var byAccept = await search.Client.SendAsync(request);

            Assert.True(mediaType == byParameter.Content.Headers.ContentType?.MediaType, $"{type} _format={value}: {byParameter.Content.Headers.ContentType}");
            Assert.True(mediaType == byAccept.Content.Headers.ContentType?.MediaType, $"{type} Accept {value}: {byAccept.Content.Headers.ContentType}");
            Assert.Equal(search.Ids.Order(), (await MatchIdsAsync(byParameter)).Order());
            Assert.Equal(search.Ids.Order(), (await MatchIdsAsync(byAccept)).Order());
        }
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_SummaryCountIsTheTotalWithoutEntries(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        using var response = await search.Client.GetAsync(FhirHttp.Fhir(search.With("_summary=count")));

        var bundle = await FhirHttp.ReadAsync<Bundle>(response);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(search.Ids.Count, bundle.Total);
        Assert.Empty(bundle.Entry);
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_SummaryAndElementsSubsetEveryEntryTheSameWay(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        foreach (var subset in new[] { "_summary=true", "_summary=text", "_summary=data", "_elements=id", "_elements=meta,text" })
        {
            using var response = await search.Client.GetAsync(FhirHttp.Fhir(search.With(subset)));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{type} {subset}: {(int)response.StatusCode} {body}");
            var entries = (await FhirHttp.ReadAsync<Bundle>(response)).Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).ToList();
            Assert.Equal(search.Ids.Order(), entries.Select(e => e.Resource!.Id!).Order());
            Assert.All(entries, e => Assert.True(e.Resource!.Meta?.Tag.Any(t => t.Code == "SUBSETTED") == true, $"{type} {subset}: entry not tagged SUBSETTED"));
        }

        using var whole = await search.Client.GetAsync(FhirHttp.Fhir(search.With("_summary=false")));
        var wholeEntries = (await FhirHttp.ReadAsync<Bundle>(whole)).Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).ToList();
        Assert.Equal(search.Ids.Order(), wholeEntries.Select(e => e.Resource!.Id!).Order());
        Assert.All(wholeEntries, e => Assert.DoesNotContain(e.Resource!.Meta?.Tag ?? [], t => t.Code == "SUBSETTED"));
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_BadSubsetOrFormatIsRefusedTheSameWay(string type)
    {
        using var search = await ArrangeSearchAsync(type);

        foreach (var (extra, status) in new[]
        {
            ("_summary=everything", HttpStatusCode.BadRequest),
            ("_summary=true&_elements=id", HttpStatusCode.BadRequest),
            ("_elements=not-a-name!", HttpStatusCode.BadRequest),
            ("_count=none", HttpStatusCode.BadRequest),
            ("_format=bogus", HttpStatusCode.NotAcceptable),
        })
        {
            using var response = await search.Client.GetAsync(FhirHttp.Fhir(search.With(extra)));
            await RefusalAsync(response, status);
        }
    }
}
