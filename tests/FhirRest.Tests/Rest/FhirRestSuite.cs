using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Hl7.Fhir.Model;
using Hl7.Fhir.Serialization;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Rest;

/// <summary>
/// The FHIR REST interactions through the real pipeline, run once per storage provider
/// (<see cref="FhirRestSqliteTests"/>, <see cref="FhirRestPostgresTests"/>).
/// </summary>
public abstract class FhirRestSuite(FhirApiFixture api)
{
    protected FhirRestApp App => api.App;

    /// <summary>This payer's back office: the only client that writes (the member roster) and reads everything.</summary>
    private HttpClient Client() => FhirHttp.Admin(App);

    [Fact]
    public async Task Create_Patient_Returns201WithLocationETagAndLastModified()
    {
        using var client = Client();

        using var response = await client.PostAsync(FhirHttp.Fhir("Patient"), FhirHttp.Json(FhirData.Patient("Rivera", "Ana", "1961-04-02", memberId: FhirData.Unique("m"))));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await FhirHttp.ReadAsync<Patient>(response);
        Assert.Equal("1", created.Meta?.VersionId);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        Assert.EndsWith($"/fhir/Patient/{created.Id}/_history/1", response.Headers.Location?.ToString());
    }

    [Fact]
    public async Task Read_CreatedPatient_ReturnsItWithVersionHeaders()
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Okafor", "Ben", "1955-09-30", AdministrativeGender.Male));

        using var response = await client.GetAsync(FhirHttp.Fhir($"Patient/{created.Id}"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("W/\"1\"", response.Headers.ETag?.ToString());
        Assert.NotNull(response.Content.Headers.LastModified);
        var read = await FhirHttp.ReadAsync<Patient>(response);
        Assert.Equal("Okafor", read.Name.Single().Family);
        Assert.Equal(created.Id, read.Id);
    }

    [Fact]
    public async Task Update_WithCurrentIfMatch_CreatesVersion2AndVreadKeepsVersion1()
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Lind", "Cora", "1970-01-01"));
        created.Name[0].Family = "Lind-Berg";

        using var update = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) };
        update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using var updated = await client.SendAsync(update);

        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        Assert.Equal("W/\"2\"", updated.Headers.ETag?.ToString());
        using var v1 = await client.GetAsync(FhirHttp.Fhir($"Patient/{created.Id}/_history/1"));
        Assert.Equal("Lind", (await FhirHttp.ReadAsync<Patient>(v1)).Name[0].Family);
        using var v2 = await client.GetAsync(FhirHttp.Fhir($"Patient/{created.Id}/_history/2"));
        Assert.Equal("Lind-Berg", (await FhirHttp.ReadAsync<Patient>(v2)).Name[0].Family);
    }

    [Fact]
    public async Task Update_StaleIfMatch_Returns412OutcomeAndKeepsCurrentVersion()
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Stale", "Dan", "1980-02-02"));
        created.Gender = AdministrativeGender.Other;
        using (var first = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) })
        {
            first.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
            using var ok = await client.SendAsync(first);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        created.Gender = AdministrativeGender.Unknown;
        using var stale = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) };
        stale.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        using var response = await client.SendAsync(stale);

        Assert.Equal(HttpStatusCode.PreconditionFailed, response.StatusCode);
        Assert.Equal(OperationOutcome.IssueType.Conflict, (await FhirHttp.OutcomeAsync(response)).Issue.Single().Code);
        using var current = await client.GetAsync(FhirHttp.Fhir($"Patient/{created.Id}"));
        Assert.Equal(AdministrativeGender.Other, (await FhirHttp.ReadAsync<Patient>(current)).Gender);
    }

    /// <summary>
    /// Another write lands after the update read the resource and before it writes: with If-Match
    /// the client's precondition is what failed (412, as ever); without one the update is
    /// unconditional and simply comes last (200, never a conflict about an If-Match nobody sent).
    /// </summary>
    [Theory]
    [InlineData(true, HttpStatusCode.PreconditionFailed)]
    [InlineData(false, HttpStatusCode.OK)]
    public async Task Update_AnotherWriteLandsMeanwhile_412WithIfMatchLastWriterWinsWithout(bool sendIfMatch, HttpStatusCode expected)
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Race", "Ida", "1975-05-05"));
        var other = (Patient)created.DeepCopy();
        other.Gender = AdministrativeGender.Female;
        created.Gender = AdministrativeGender.Other;
        App.Interference.BeforeNextSave(
            writes => writes.Any(w => w.Resource is Patient p && p.Id == created.Id),
            async () =>
            {
                using var put = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(other) };
                using var landed = await client.SendAsync(put);
                Assert.Equal(HttpStatusCode.OK, landed.StatusCode);
            });

        using var update = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) };
        if (sendIfMatch)
        {
            update.Headers.IfMatch.Add(new EntityTagHeaderValue("\"1\"", isWeak: true));
        }

        using var response = await client.SendAsync(update);

        Assert.Equal(expected, response.StatusCode);
        if (sendIfMatch)
        {
            var issue = (await FhirHttp.OutcomeAsync(response)).Issue.Single();
            Assert.Equal(OperationOutcome.IssueType.Conflict, issue.Code);
            Assert.Contains("If-Match names version 1", issue.Diagnostics, StringComparison.Ordinal);
        }

        using var current = await client.GetAsync(FhirHttp.Fhir($"Patient/{created.Id}"));
        var stored = await FhirHttp.ReadAsync<Patient>(current);
        Assert.Equal(sendIfMatch ? "2" : "3", stored.Meta!.VersionId);
        Assert.Equal(sendIfMatch ? AdministrativeGender.Female : AdministrativeGender.Other, stored.Gender);
    }

    [Fact]
    public async Task Create_IfNoneExistMatchingOne_ReturnsExistingWithoutCreating()
    {
        using var client = Client();
        var memberId = FhirData.Unique("m");
        var first = await FhirHttp.CreateAsync(client, FhirData.Patient("Once", "Eve", "1990-03-03", memberId: memberId));

        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("Once", "Eve", "1990-03-03", memberId: memberId)) };
        request.Headers.Add("If-None-Exist", $"identifier={FhirData.MemberIdSystem}|{memberId}");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(first.Id, (await FhirHttp.ReadAsync<Patient>(response)).Id);
        using var search = await client.GetAsync(FhirHttp.Fhir($"Patient?identifier={memberId}"));
        Assert.Single((await FhirHttp.ReadAsync<Bundle>(search)).Entry);
    }

    [Fact]
    public async Task Create_IfNoneExistMatchingNone_Creates()
    {
        using var client = Client();
        var memberId = FhirData.Unique("m");

        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("New", "Fay", "1991-03-03", memberId: memberId)) };
        request.Headers.Add("If-None-Exist", $"identifier={memberId}");
        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Search_PagedByCount_WalksEveryResultOnceNewestFirst()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add((await App.StoreAsync(FhirData.Claim(patientId))).Id!);
        }

        var seen = new List<string>();
        Uri? next = FhirHttp.Fhir($"Claim?patient=Patient/{patientId}&_count=3&_sort=-_lastUpdated");
        var pages = 0;
        while (next is not null)
        {
            using var response = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = await FhirHttp.ReadAsync<Bundle>(response);
            Assert.Equal(Bundle.BundleType.Searchset, bundle.Type);
            Assert.True(bundle.Entry.Count <= 3);
            seen.AddRange(bundle.Entry.Select(e => e.Resource!.Id!));
            Assert.All(bundle.Entry, e => Assert.EndsWith($"/fhir/Claim/{e.Resource!.Id}", e.FullUrl));
            next = bundle.NextLink is { } link ? new Uri(link.PathAndQuery, UriKind.Relative) : null;
            pages++;
        }

        Assert.Equal(3, pages);
        using (var counted = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&_count=3&_total=accurate")))
        {
            Assert.Equal(7, (await FhirHttp.ReadAsync<Bundle>(counted)).Total);
        }

        Assert.Equal(created.OrderBy(id => id), seen.OrderBy(id => id));
        Assert.Equal(seen.Count, seen.Distinct().Count());
    }

    [Fact]
    public async Task Search_SortAscending_ReturnsOldestFirst()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var first = await App.StoreAsync(FhirData.Claim(patientId));
        await Task.Delay(5);
        var second = await App.StoreAsync(FhirData.Claim(patientId));

        using var ascending = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&_sort=_lastUpdated"));
        using var descending = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}"));

        Assert.Equal([first.Id, second.Id], (await FhirHttp.ReadAsync<Bundle>(ascending)).Entry.Select(e => e.Resource!.Id));
        Assert.Equal([second.Id, first.Id], (await FhirHttp.ReadAsync<Bundle>(descending)).Entry.Select(e => e.Resource!.Id));
    }

    [Fact]
    public async Task Search_StatusCreatedAndIdentifier_FilterAsAsked()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var november = FhirData.Claim(patientId);
        november.Created = "2026-11-01";
        var march = FhirData.Claim(patientId);
        march.Created = "2026-03-15";
        var cancelled = FhirData.Claim(patientId);
        cancelled.Status = FinancialResourceStatusCodes.Cancelled;
        cancelled.Created = "2026-11-05";
        var ids = new Dictionary<string, string>
        {
            ["november"] = (await App.StoreAsync(november)).Id!,
            ["march"] = (await App.StoreAsync(march)).Id!,
            ["cancelled"] = (await App.StoreAsync(cancelled)).Id!,
        };

        async Task<IEnumerable<string>> Found(string query)
        {
            using var response = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&{query}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = await FhirHttp.ReadAsync<Bundle>(response);
            return ids.Where(kv => bundle.Entry.Any(e => e.Resource!.Id == kv.Value)).Select(kv => kv.Key).Order();
        }

        Assert.Equal(["march", "november"], await Found("status=active"));
        Assert.Equal(["cancelled", "november"], await Found("created=ge2026-11-01"));
        Assert.Equal(["march"], await Found("created=lt2026-11-01"));
        Assert.Equal(["cancelled", "november"], await Found("created=gt2026-03-15"));
        Assert.Equal(["march"], await Found("created=2026-03"));
        Assert.Equal(["march", "november"], await Found("created=ge2026-03-15&created=le2026-11-01"));
        Assert.Equal(["march"], await Found($"identifier={march.Identifier[0].System}|{march.Identifier[0].Value}"));
        Assert.Equal(["november"], await Found($"_id={ids["november"]}"));
        Assert.Equal(["cancelled", "march", "november"], await Found($"_lastUpdated=ge{DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}"));
        Assert.Empty(await Found($"_lastUpdated=lt{DateTime.UtcNow.AddHours(-1):yyyy-MM-ddTHH:mm:ssZ}"));
    }

    [Fact]
    public async Task Xml_CreateAndReadInXml_RoundTrips()
    {
        using var client = Client();
        var patient = FhirData.Patient("Xml", "Gil", "1966-06-06", AdministrativeGender.Male, FhirData.Unique("m"));
        var xml = new BaseFhirXmlSerializer(ModelInfo.ModelInspector).SerializeToString(patient);
        using var content = new StringContent(xml, Encoding.UTF8, "application/fhir+xml");
        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = content };
        request.Headers.Accept.ParseAdd("application/fhir+xml");

        using var created = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal("application/fhir+xml", created.Content.Headers.ContentType?.MediaType);
        var fromXml = (Patient)new FhirXmlDeserializer().DeserializeResource(await created.Content.ReadAsStringAsync());
        using var asJson = await client.GetAsync(FhirHttp.Fhir($"Patient/{fromXml.Id}?_format=json"));
        var fromJson = await FhirHttp.ReadAsync<Patient>(asJson);
        Assert.Equal("Xml", fromJson.Name[0].Family);
        Assert.Equal(patient.Identifier[0].Value, fromJson.Identifier[0].Value);
        Assert.Equal(fromXml.Id, fromJson.Id);
    }

    public static TheoryData<string, HttpStatusCode> BadReads => new()
    {
        { "Flurb/1", HttpStatusCode.NotFound },
        { "Observation/1", HttpStatusCode.NotFound },
        { "Patient/not_a_valid_id!", HttpStatusCode.BadRequest },
        { "Patient/$everything", HttpStatusCode.NotFound },
        { "Patient/does-not-exist", HttpStatusCode.NotFound },
        { "Patient/x/_history/abc", HttpStatusCode.BadRequest },
        { "Patient?name=Smith", HttpStatusCode.BadRequest },
        { "Patient?identifier:exact=x", HttpStatusCode.BadRequest },
        { "Claim?created=2026-13-45", HttpStatusCode.BadRequest },
        { "Claim?created=ap2026-01-01", HttpStatusCode.BadRequest },
        { "Claim?_count=0", HttpStatusCode.BadRequest },
        { "Claim?_count=many", HttpStatusCode.BadRequest },
        { "Claim?_sort=status", HttpStatusCode.BadRequest },
        { "Claim?_total=lots", HttpStatusCode.BadRequest },
        { "Claim?patient=Practitioner/1/x", HttpStatusCode.BadRequest },
        { "Claim?_cursor=not-a-token", HttpStatusCode.BadRequest },
        { "Claim?_format=html", HttpStatusCode.NotAcceptable },
        { "ExplanationOfBenefit/1", HttpStatusCode.MethodNotAllowed },
    };

    [Theory]
    [MemberData(nameof(BadReads))]
    public async Task Get_BadRequest_Returns4xxOperationOutcome(string relative, HttpStatusCode expected)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        Assert.Equal(expected, response.StatusCode);
        var outcome = await FhirHttp.OutcomeAsync(response);
        Assert.False(string.IsNullOrWhiteSpace(outcome.Issue.Single().Diagnostics));
    }

    public static TheoryData<string, string, string, HttpStatusCode> BadWrites => new()
    {
        { "Patient", "text/plain", "hello", HttpStatusCode.UnsupportedMediaType },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+json", "", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Coverage\",\"status\":\"active\"}", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Flurb\"}", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+xml", "<Patient xmlns=\"http://hl7.org/fhir\"><gender value=", HttpStatusCode.BadRequest },
        { "Patient", "application/fhir+json", "<Patient/>", HttpStatusCode.BadRequest },
        { "Observation", "application/fhir+json", "{\"resourceType\":\"Observation\"}", HttpStatusCode.NotFound },
        { "ExplanationOfBenefit", "application/fhir+json", "{\"resourceType\":\"ExplanationOfBenefit\"}", HttpStatusCode.MethodNotAllowed },
    };

    [Theory]
    [MemberData(nameof(BadWrites))]
    public async Task Create_BadBody_Returns4xxOperationOutcome(string type, string contentType, string body, HttpStatusCode expected)
    {
        using var client = Client();
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue(contentType);

        using var response = await client.PostAsync(FhirHttp.Fhir(type), content);

        Assert.Equal(expected, response.StatusCode);
        Assert.NotEmpty((await FhirHttp.OutcomeAsync(response)).Issue);
    }

    [Fact]
    public async Task Update_BadRequests_Return4xxOutcome()
    {
        using var client = Client();
        var created = await FhirHttp.CreateAsync(client, FhirData.Patient("Upd", "Hal", "1950-05-05"));

        created.Id = "other-id";
        using var mismatch = await client.PutAsync(FhirHttp.Fhir($"Patient/{FhirData.Unique("x")}"), FhirHttp.Json(created));
        Assert.Equal(HttpStatusCode.BadRequest, mismatch.StatusCode);

        created.Id = "never-created-" + Guid.NewGuid().ToString("N")[..8];
        using var missing = await client.PutAsync(FhirHttp.Fhir($"Patient/{created.Id}"), FhirHttp.Json(created));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var badEtag = new HttpRequestMessage(HttpMethod.Put, FhirHttp.Fhir($"Patient/{created.Id}")) { Content = FhirHttp.Json(created) };
        badEtag.Headers.TryAddWithoutValidation("If-Match", "banana");
        using var badEtagResponse = await client.SendAsync(badEtag);
        Assert.Equal(HttpStatusCode.BadRequest, badEtagResponse.StatusCode);
        await FhirHttp.OutcomeAsync(badEtagResponse);
    }

    [Fact]
    public async Task ConditionalCreate_ByAProviderMatchingAMember_RefusedWithoutRevealingTheMember()
    {
        using var admin = Client();
        var memberId = FhirData.Unique("m");
        await FhirHttp.CreateAsync(admin, FhirData.Patient("Hidden", "Ivy", "1977-07-07", memberId: memberId));
        using var provider = App.CreateFhirClient();

        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("Probe", "Pat", "1900-01-01")) };
        request.Headers.Add("If-None-Exist", $"identifier={FhirData.MemberIdSystem}|{memberId}");
        using var response = await provider.SendAsync(request);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.DoesNotContain("Hidden", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SpinePolicy.TestKit.Security.TestTokens.DefaultFhirClientId)]
    [InlineData(SpinePolicy.TestKit.Security.TestClients.ReviewerClientId)]
    [InlineData("unbound-client")]
    public async Task Roster_WrittenByAnyoneButTheBackOffice_403(string clientId)
    {
        using var client = FhirHttp.Client(App, clientId);

        using var response = await client.PostAsync(FhirHttp.Fhir("Patient"), FhirHttp.Json(FhirData.Patient("Fake", "Member", "1950-01-01", memberId: FhirData.Unique("m"))));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Theory]
    [InlineData("Patient")]
    [InlineData("Coverage")]
    [InlineData("Consent")]
    [InlineData("ClaimResponse")]
    public async Task UnboundClient_SearchOfStoredData_403(string type)
    {
        using var client = FhirHttp.Client(App, "unbound-client");

        using var response = await client.GetAsync(FhirHttp.Fhir($"{type}?_count=10"));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Create_BadIfNoneExist_Returns400()
    {
        using var client = Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, FhirHttp.Fhir("Patient")) { Content = FhirHttp.Json(FhirData.Patient("C", "D", "1999-01-01")) };
        request.Headers.Add("If-None-Exist", "name=Smith");

        using var response = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        await FhirHttp.OutcomeAsync(response);
    }
}

public sealed class FhirRestSqliteTests(SqliteFhirApi api) : FhirRestSuite(api), IClassFixture<SqliteFhirApi>;

public sealed class FhirRestPostgresTests(PostgresFhirApi api) : FhirRestSuite(api), IClassFixture<PostgresFhirApi>;
