using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using SpinePolicy.TestKit;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>
/// The FHIR conventions every /fhir endpoint honours the same way, whichever slice serves it
/// (stored resources, published artefacts, derived EOBs, operations), run once per storage
/// provider (<see cref="FhirConventionsSqliteTests"/>, <see cref="FhirConventionsPostgresTests"/>).
/// The topics are split over files: formats, searches, writes, bad input.
/// </summary>
public abstract partial class FhirConventionsSuite(FhirApiFixture api)
{
    protected const string BvnaUrl = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097";
    protected const string VertebralLevelUrl = "https://spinepolicy.example.org/fhir/ValueSet/vertebral-level";
    protected const string ClaimSystem = "https://ehr.test.example/claims";

    protected FhirRestApp App => api.App;

    /// <summary>This payer's back office: the conventions hold for every type, and it may read and write them all.</summary>
    protected HttpClient Client() => FhirHttp.Admin(App);

    protected static StringContent Xml(Resource resource) =>
        new(new BaseFhirXmlSerializer(ModelInfo.ModelInspector).SerializeToString(resource), Encoding.UTF8, "application/fhir+xml");

    protected static StringContent Raw(string body, string contentType)
    {
        var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }

    protected static async Task<Resource> ReadXmlAsync(HttpResponseMessage response)
    {
        Assert.Equal("application/fhir+xml", response.Content.Headers.ContentType?.MediaType);
        return new FhirXmlDeserializer().DeserializeResource(await response.Content.ReadAsStringAsync());
    }

    protected static async Task<OperationOutcome> RefusalAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        var outcome = await FhirHttp.OutcomeAsync(response);
        Assert.NotEmpty(outcome.Issue);
        Assert.All(outcome.Issue, i => Assert.False(string.IsNullOrWhiteSpace(i.Diagnostics)));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
        return outcome;
    }

    /// <summary>A $questionnaire-package request for a BVNA order of a commercial member.</summary>
    protected static Parameters PackageRequest(decimal? quantity = null)
    {
        var coverage = new Coverage
        {
            Id = "cov-1",
            Status = FinancialResourceStatusCodes.Active,
            Beneficiary = new ResourceReference("Patient/pkg-patient"),
            Payor = [new ResourceReference { Identifier = new Identifier("urn:oid:2.16.840.1.113883.3.0", FhirData.OurPayerId) }],
            Class = [new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = "MGB-COMMERCIAL" }],
        };
        var order = new ServiceRequest
        {
            Id = "sr-1",
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept("http://www.ama-assn.org/go/cpt", "64628"),
            Subject = new ResourceReference("Patient/pkg-patient"),
            Quantity = quantity is { } q ? new Quantity { Value = q } : null,
        };
        var parameters = new Parameters();
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "coverage", Resource = coverage });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "order", Resource = order });
        return parameters;
    }

    /// <summary>Claims as $submit stores them (no client writes a Claim through the REST routes).</summary>
    protected async Task<List<Claim>> ClaimsAsync(string patientId, int count)
    {
        var claims = new List<Claim>();
        for (var i = 0; i < count; i++)
        {
            claims.Add(await App.StoreAsync(FhirData.Claim(patientId)));
        }

        return claims;
    }

    /// <summary>Every page of a search, by following next links; the entries' ids in order.</summary>
    protected static async Task<(List<string> Ids, int Pages, int? Total)> WalkAsync(HttpClient client, string first)
    {
        var ids = new List<string>();
        var pages = 0;
        int? total = null;
        Uri? next = FhirHttp.Fhir(first);
        while (next is not null)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = await FhirHttp.ReadAsync<Bundle>(response);
            total ??= bundle.Total;
            ids.AddRange(bundle.Entry.Where(e => e.Search?.Mode == Bundle.SearchEntryMode.Match).Select(e => e.Resource!.Id!));
            Assert.StartsWith(SpinePolicyApp.PublicBaseUrl + "/fhir/", bundle.NextLink?.ToString() ?? SpinePolicyApp.PublicBaseUrl + "/fhir/");
            next = bundle.NextLink is { } link ? new Uri(link.PathAndQuery, UriKind.Relative) : null;
            pages++;
        }

        return (ids, pages, total);
    }
}

public sealed class FhirConventionsSqliteTests(SqliteFhirApi api) : FhirConventionsSuite(api), IClassFixture<SqliteFhirApi>;

public sealed class FhirConventionsPostgresTests(PostgresFhirApi api) : FhirConventionsSuite(api), IClassFixture<PostgresFhirApi>;
