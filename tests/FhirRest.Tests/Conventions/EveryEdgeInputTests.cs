using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// Input at the edges of the conventions, on every type: odd result parameters and headers get a
/// 2xx or a 4xx with an OperationOutcome, never a 500; XML bodies on every write; result
/// parameters in a POST _search form.
/// </summary>
public abstract partial class FhirConventionsSuite
{
    /// <summary>Result parameters and headers a client might send, and whether FHIR lets the server answer (true) or must refuse (false).</summary>
    private static readonly (string? Query, string? Accept, bool Answers)[] EdgeInputs =
    [
        ("_count=1000000", null, true),
        ("_count=2147483648", null, false),
        ("_count=1.5", null, false),
        ("_count=", null, true),
        ("_format=", null, true),
        ("_summary=", null, true),
        ("_elements=", null, true),
        ("_elements=,,", null, false),
        ("_format=json&_format=xml", null, false),
        ("_summary=true&_summary=false", null, false),
        ("_format=application/fhir%2Bjson;%20fhirVersion=4.0", null, true),
        ("_format=%00", null, false),
        (null, "application/fhir+xml;q=0.5, application/fhir+json", true),
        (null, "application/fhir+json; fhirVersion=4.0", true),
        // An Accept header that does not parse is no preference (the default, JSON), as if absent.
        (null, ";;;", true),
        (null, "*/*", true),
        (null, "application/*", true),
    ];

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_EdgeInputAnswersOrIsRefusedNeverFails(string type)
    {
        using var search = await ArrangeSearchAsync(type);
        var wrong = new List<string>();
        foreach (var (query, accept, answers) in EdgeInputs)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(query is null ? search.Query : search.With(query)));
            wrong.AddRange(await WrongAnswerAsync(search.Client, request, accept, answers, $"{type} {query} {accept}"));
        }

        Assert.Empty(wrong);
    }

    [Theory]
    [MemberData(nameof(EveryReadType))]
    public async Task Every_Read_EdgeInputAnswersOrIsRefusedNeverFails(string type)
    {
        var (client, relative) = await ArrangeReadAsync(type);
        using var _ = client;
        var wrong = new List<string>();
        foreach (var (query, accept, answers) in EdgeInputs.Where(e => e.Query is null || !e.Query.StartsWith("_count", StringComparison.Ordinal)))
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(query is null ? relative : $"{relative}?{query}"));
            wrong.AddRange(await WrongAnswerAsync(client, request, accept, answers, $"{relative} {query} {accept}"));
        }

        Assert.Empty(wrong);
    }

    /// <summary>What is wrong with the answer (every problem, so one run shows them all), or nothing.</summary>
    private static async Task<IEnumerable<string>> WrongAnswerAsync(HttpClient client, HttpRequestMessage request, string? accept, bool answers, string what)
    {
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        var status = (int)response.StatusCode;
        if (answers ? status != 200 : status is < 400 or >= 500)
        {
            return [$"{what}: {status} {body[..Math.Min(body.Length, 200)]}"];
        }

        var resource = FhirHttp.ParseAny<Resource>(body, response.Content.Headers.ContentType?.MediaType);
        return answers || resource is OperationOutcome ? [] : [$"{what}: refused without an OperationOutcome"];
    }

    [Theory]
    [MemberData(nameof(EverySearchType))]
    public async Task Every_Search_ResultParametersInThePostFormWorkAsInTheQuery(string type)
    {
        using var search = await ArrangeSearchAsync(type);
        using var form = new FormUrlEncodedContent([.. search.Parameters, new("_count", "1"), new("_format", "xml"), new("_elements", "id")]);

        using var response = await search.Client.PostAsync(FhirHttp.Fhir($"{type}/_search"), form);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var bundle = Assert.IsType<Bundle>(await ReadXmlAsync(response));
        var entry = Assert.Single(bundle.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Match);
        Assert.Contains(entry.Resource!.Meta!.Tag, t => t.Code == "SUBSETTED");
        if (search.Ids.Count > 1)
        {
            Assert.NotNull(bundle.NextLink);
            Assert.Contains("_count=1", bundle.NextLink!.ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("POST Patient")]
    [InlineData("PUT Patient")]
    [InlineData("POST Coverage")]
    [InlineData("PUT Coverage")]
    [InlineData("POST Subscription")]
    [InlineData("PUT Subscription")]
    public async Task Every_Write_XmlBodyIsReadAndXmlAnsweredWhenAsked(string write)
    {
        var (client, request, type) = await ArrangeWriteAsync(write);
        using var _ = client;
        using var __ = request;
        var resource = FhirHttp.ParseAny<Resource>(await request.Content!.ReadAsStringAsync(), "application/fhir+json");
        request.Content = Xml(resource);
        request.Headers.Accept.ParseAdd("application/fhir+xml");

        using var response = await client.SendAsync(request);

        Assert.True(response.IsSuccessStatusCode, $"{write}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(type, (await ReadXmlAsync(response)).TypeName);
    }
}
