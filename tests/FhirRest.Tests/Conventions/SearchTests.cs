using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>Paging, OR lists, tokens, POST _search, canonical urls, fullUrls and parameter handling on every searchable type.</summary>
public abstract partial class FhirConventionsSuite
{
    [Theory]
    [InlineData("Questionnaire")]
    [InlineData("ValueSet")]
    [InlineData("CodeSystem")]
    public async Task Search_PublishedArtefactsPagedByCount_WalksEveryOneOnce(string type)
    {
        using var client = Client();

        var (ids, pages, total) = await WalkAsync(client, $"{type}?_count=1");

        Assert.True(ids.Count >= 2, $"{type}: expected several published artefacts");
        Assert.Equal(ids.Count, total);
        Assert.Equal(ids.Count, pages);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public async Task Search_CommaOrList_MatchesAnyValueOnEveryType()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var claims = await ClaimsAsync(patientId, 3);

        using var artefacts = await client.GetAsync(FhirHttp.Fhir("Questionnaire?_id=bvna-097,esi-097"));
        using var stored = await client.GetAsync(FhirHttp.Fhir($"Claim?_id={claims[0].Id},{claims[2].Id}"));
        using var identifiers = await client.GetAsync(FhirHttp.Fhir(
            $"Claim?identifier={ClaimSystem}|{claims[0].Identifier[0].Value},{ClaimSystem}|{claims[1].Identifier[0].Value}"));

        Assert.Equal(["bvna-097", "esi-097"], (await FhirHttp.ReadAsync<Bundle>(artefacts)).Entry.Select(e => e.Resource!.Id).Order());
        Assert.Equal(new[] { claims[0].Id, claims[2].Id }.Order(), (await FhirHttp.ReadAsync<Bundle>(stored)).Entry.Select(e => e.Resource!.Id).Order());
        Assert.Equal(new[] { claims[0].Id, claims[1].Id }.Order(), (await FhirHttp.ReadAsync<Bundle>(identifiers)).Entry.Select(e => e.Resource!.Id).Order());
    }

    [Fact]
    public async Task Search_StatusOrListAndRepeatedParameter_OrWithinAndAcross()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var active = await App.StoreAsync(FhirData.Claim(patientId));
        var cancelledClaim = FhirData.Claim(patientId);
        cancelledClaim.Status = FinancialResourceStatusCodes.Cancelled;
        var cancelled = await App.StoreAsync(cancelledClaim);

        using var either = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&status=active,cancelled"));
        using var both = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&status=active&status=cancelled"));

        Assert.Equal(new[] { active.Id, cancelled.Id }.Order(), (await FhirHttp.ReadAsync<Bundle>(either)).Entry.Select(e => e.Resource!.Id).Order());
        Assert.Empty((await FhirHttp.ReadAsync<Bundle>(both)).Entry);
    }

    [Fact]
    public async Task Search_IdentifierSystemOnly_MatchesEveryValueOfThatSystem()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var claims = await ClaimsAsync(patientId, 2);
        var elsewhere = FhirData.Claim(patientId);
        elsewhere.Identifier[0].System = "https://other-ehr.example/claims";
        await App.StoreAsync(elsewhere);

        using var response = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&identifier={Uri.EscapeDataString(ClaimSystem + "|")}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(claims.Select(c => c.Id).Order(), (await FhirHttp.ReadAsync<Bundle>(response)).Entry.Select(e => e.Resource!.Id).Order());
    }

    [Fact]
    public async Task Search_PostSearchForm_AnswersAsGetDoes()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var claims = await ClaimsAsync(patientId, 3);

        using var storedForm = new FormUrlEncodedContent([new("patient", patientId), new("_count", "2")]);
        using var stored = await client.PostAsync(FhirHttp.Fhir("Claim/_search"), storedForm);
        using var artefactForm = new FormUrlEncodedContent([new("url", BvnaUrl)]);
        using var artefact = await client.PostAsync(FhirHttp.Fhir("Questionnaire/_search"), artefactForm);

        Assert.Equal(HttpStatusCode.OK, stored.StatusCode);
        var page = await FhirHttp.ReadAsync<Bundle>(stored);
        Assert.Equal(2, page.Entry.Count);
        Assert.NotNull(page.NextLink);
        var (rest, _, _) = await WalkAsync(client, page.NextLink!.PathAndQuery.Replace("/fhir/", "", StringComparison.Ordinal));
        Assert.Equal(claims.Select(c => c.Id!).Order(), page.Entry.Select(e => e.Resource!.Id!).Concat(rest).Order());
        Assert.Equal("bvna-097", Assert.Single((await FhirHttp.ReadAsync<Bundle>(artefact)).Entry).Resource!.Id);
    }

    [Fact]
    public async Task Search_CanonicalFromACrdCard_FindsThatVersionOnly()
    {
        using var client = Client();
        using var read = await client.GetAsync(FhirHttp.Fhir("Questionnaire/bvna-097"));
        var version = (await FhirHttp.ReadAsync<Questionnaire>(read)).Version;

        using var exact = await client.GetAsync(FhirHttp.Fhir($"Questionnaire?url={Uri.EscapeDataString($"{BvnaUrl}|{version}")}"));
        using var other = await client.GetAsync(FhirHttp.Fhir($"Questionnaire?url={Uri.EscapeDataString($"{BvnaUrl}|1999.01.0")}"));

        Assert.Equal("bvna-097", Assert.Single((await FhirHttp.ReadAsync<Bundle>(exact)).Entry).Resource!.Id);
        Assert.Empty((await FhirHttp.ReadAsync<Bundle>(other)).Entry);
    }

    [Theory]
    [InlineData("Questionnaire?_id=bvna-097")]
    [InlineData("ValueSet")]
    [InlineData("Claim?_count=5")]
    public async Task Search_FullUrls_OnTheConfiguredBaseNotTheHostHeader(string relative)
    {
        using var client = Client();
        await App.StoreAsync(FhirData.Claim(FhirData.Unique("p")));
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(relative));
        request.Headers.Host = "attacker.example";

        using var response = await client.SendAsync(request);

        var bundle = await FhirHttp.ReadAsync<Bundle>(response);
        Assert.NotEmpty(bundle.Entry);
        Assert.All(bundle.Entry, e => Assert.Equal($"{SpinePolicyApp.PublicBaseUrl}/fhir/{e.Resource!.TypeName}/{e.Resource.Id}", e.FullUrl));
        Assert.StartsWith(SpinePolicyApp.PublicBaseUrl + "/fhir/", bundle.SelfLink!.ToString());
    }

    public static TheoryData<string> UnknownParameterSearches => new()
    {
        "Claim?flavour=vanilla",
        "Questionnaire?flavour=vanilla",
        "ValueSet?flavour=vanilla",
        "Patient?flavour=vanilla",
    };

    [Theory]
    [MemberData(nameof(UnknownParameterSearches))]
    public async Task Search_UnknownParameter_StrictIs400LenientIgnoresAndSaysSo(string relative)
    {
        using var client = Client();
        using var strict = await client.GetAsync(FhirHttp.Fhir(relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(relative));
        request.Headers.Add("Prefer", "handling=lenient");
        using var lenient = await client.SendAsync(request);

        Assert.Contains("flavour", (await RefusalAsync(strict, HttpStatusCode.BadRequest)).Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, lenient.StatusCode);
        var bundle = await FhirHttp.ReadAsync<Bundle>(lenient);
        var warning = Assert.IsType<OperationOutcome>(Assert.Single(bundle.Entry, e => e.Search?.Mode == Bundle.SearchEntryMode.Outcome).Resource);
        Assert.Contains("flavour", warning.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.DoesNotContain("flavour", bundle.SelfLink!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Claim?status:not=active")]
    [InlineData("Questionnaire?url:below=https://spinepolicy.example.org")]
    public async Task Search_Modifier_Is400EvenWhenLenient(string relative)
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Get, FhirHttp.Fhir(relative));
        request.Headers.Add("Prefer", "handling=lenient");

        using var response = await client.SendAsync(request);

        await RefusalAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Search_EmptyValue_IsIgnored()
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir("Questionnaire?_id=&url="));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await FhirHttp.ReadAsync<Bundle>(response)).Entry.Count >= 3);
    }

    [Fact]
    public async Task Summary_CountOnEveryKindOfSearch_TotalWithoutEntries()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        await ClaimsAsync(patientId, 2);

        using var stored = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&_summary=count"));
        using var artefacts = await client.GetAsync(FhirHttp.Fhir("Questionnaire?_id=bvna-097,esi-097&_summary=count"));

        var storedBundle = await FhirHttp.ReadAsync<Bundle>(stored);
        var artefactBundle = await FhirHttp.ReadAsync<Bundle>(artefacts);
        Assert.Equal((2, 0), (storedBundle.Total, storedBundle.Entry.Count));
        Assert.Equal((2, 0), (artefactBundle.Total, artefactBundle.Entry.Count));
    }

    [Fact]
    public async Task Summary_TrueAndElements_SubsetEveryTypeTheSameWay()
    {
        using var client = Client();
        var patient = await FhirHttp.CreateAsync(client, FhirData.Patient("Subset", "Sam", "1970-01-01", memberId: FhirData.Unique("m")));

        using var questionnaire = await client.GetAsync(FhirHttp.Fhir("Questionnaire/bvna-097?_summary=true"));
        using var elements = await client.GetAsync(FhirHttp.Fhir($"Patient/{patient.Id}?_elements=gender"));
        using var searched = await client.GetAsync(FhirHttp.Fhir($"Patient?_id={patient.Id}&_elements=birthDate"));
        using var asXml = await client.GetAsync(FhirHttp.Fhir($"Patient/{patient.Id}?_elements=gender&_format=xml"));

        var summary = await FhirHttp.ReadAsync<Questionnaire>(questionnaire);
        Assert.Empty(summary.Item);
        Assert.Equal(BvnaUrl, summary.Url);
        Assert.Contains(summary.Meta!.Tag, t => t.Code == "SUBSETTED");

        var onlyGender = await FhirHttp.ReadAsync<Patient>(elements);
        Assert.Equal(AdministrativeGender.Female, onlyGender.Gender);
        Assert.Empty(onlyGender.Name);
        Assert.Null(onlyGender.BirthDate);
        Assert.Contains(onlyGender.Meta!.Tag, t => t.Code == "SUBSETTED");

        var entry = Assert.IsType<Patient>(Assert.Single((await FhirHttp.ReadAsync<Bundle>(searched)).Entry).Resource);
        Assert.Equal("1970-01-01", entry.BirthDate);
        Assert.Empty(entry.Name);

        var xml = Assert.IsType<Patient>(await ReadXmlAsync(asXml));
        Assert.Empty(xml.Name);
    }

    [Theory]
    [InlineData("Questionnaire/bvna-097?_summary=everything")]
    [InlineData("Questionnaire/bvna-097?_summary=count")]
    [InlineData("Claim?_summary=true&_elements=status")]
    [InlineData("ValueSet?_elements=not-a-name!")]
    public async Task Summary_MalformedOrMisplaced_Is400(string relative)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        await RefusalAsync(response, HttpStatusCode.BadRequest);
    }
}
