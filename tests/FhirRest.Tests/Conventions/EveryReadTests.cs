using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>The read conventions, each one theory over every type read by id (<see cref="EveryReadType"/>): _format, Accept, _summary, _elements.</summary>
public abstract partial class FhirConventionsSuite
{
    [Theory]
    [MemberData(nameof(EveryReadType))]
    public async Task Every_Read_EveryFormatValueAndAcceptAnswersThatFormat(string type)
    {
        var (client, relative) = await ArrangeReadAsync(type);
        using var _ = client;

        foreach (var (value, mediaType) in FormatValues)
        {
            using var byParameter = await client.GetAsync(FhirHttp.Fhir($"{relative}?_format={Uri.EscapeDataString(value)}"));
            using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(relative));
            request.Headers.TryAddWithoutValidation("Accept", value.Contains('/') ? value : mediaType);
            using var byAccept = await client.SendAsync(request);

            foreach (var (how, response) in new[] { ("_format", byParameter), ("Accept", byAccept) })
            {
                var body = await response.Content.ReadAsStringAsync();
                Assert.True(response.StatusCode == HttpStatusCode.OK, $"{relative} {how} {value}: {(int)response.StatusCode} {body}");
                Assert.True(mediaType == response.Content.Headers.ContentType?.MediaType, $"{relative} {how} {value}: {response.Content.Headers.ContentType}");
                Assert.Equal(type.Split('/')[0], FhirHttp.ParseAny<Resource>(body, mediaType).TypeName);
            }
        }
    }

    [Theory]
    [MemberData(nameof(EveryReadType))]
    public async Task Every_Read_SummaryAndElementsSubsetTheSameWay(string type)
    {
        var (client, relative) = await ArrangeReadAsync(type);
        using var _ = client;

        foreach (var subset in new[] { "_summary=true", "_summary=text", "_summary=data", "_elements=id", "_elements=meta,text" })
        {
            using var response = await client.GetAsync(FhirHttp.Fhir($"{relative}?{subset}"));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{relative} {subset}: {(int)response.StatusCode} {body}");
            var resource = FhirHttp.ParseAny<Resource>(body, response.Content.Headers.ContentType?.MediaType);
            Assert.Equal(type.Split('/')[0], resource.TypeName);
            Assert.True(resource.Meta?.Tag.Any(t => t.Code == "SUBSETTED" && t.System == "http://terminology.hl7.org/CodeSystem/v3-ObservationValue") == true, $"{relative} {subset}: not tagged SUBSETTED (R4 system)");
            var subsettedTags = resource.Meta!.Tag.Where(t => t.Code == "SUBSETTED").Select(t => t.System).ToList();
            Assert.True(subsettedTags.Count == subsettedTags.Distinct().Count(), $"{relative} {subset}: a SUBSETTED tag repeats: {string.Join(", ", subsettedTags)}");
        }

        using var whole = await client.GetAsync(FhirHttp.Fhir($"{relative}?_summary=false"));
        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.DoesNotContain((await FhirHttp.ReadAsync<Resource>(whole)).Meta?.Tag ?? [], t => t.Code == "SUBSETTED");
    }

    [Theory]
    [MemberData(nameof(EveryReadType))]
    public async Task Every_Read_BadSubsetOrFormatIsRefusedTheSameWay(string type)
    {
        var (client, relative) = await ArrangeReadAsync(type);
        using var _ = client;

        foreach (var (extra, status) in new[]
        {
            ("_summary=count", HttpStatusCode.BadRequest),
            ("_summary=everything", HttpStatusCode.BadRequest),
            ("_summary=true&_elements=id", HttpStatusCode.BadRequest),
            ("_elements=not-a-name!", HttpStatusCode.BadRequest),
            ("_format=bogus", HttpStatusCode.NotAcceptable),
            ("_format=text/html", HttpStatusCode.NotAcceptable),
        })
        {
            using var response = await client.GetAsync(FhirHttp.Fhir($"{relative}?{extra}"));
            await RefusalAsync(response, status);
        }
    }
}
