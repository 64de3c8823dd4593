using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Tests.Infrastructure;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirRest.Tests.Conventions;

/// <summary>Input at the edges of what FHIR allows gets a clear answer, never a 500.</summary>
public abstract partial class FhirConventionsSuite
{
    [Fact]
    public async Task Search_DatesAtTheEndsOfTheCalendar_AnswerWithoutError()
    {
        using var client = Client();
        var patientId = FhirData.Unique("p");
        var claim = await App.StoreAsync(FhirData.Claim(patientId));

        async Task<IEnumerable<string?>> Found(string query)
        {
            using var response = await client.GetAsync(FhirHttp.Fhir($"Claim?patient={patientId}&{query}"));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{query}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            return (await FhirHttp.ReadAsync<Bundle>(response)).Entry.Select(e => e.Resource!.Id);
        }

        Assert.Empty(await Found("_lastUpdated=9999-12-31"));
        Assert.Empty(await Found("_lastUpdated=lt0001-01-01"));
        Assert.Empty(await Found("_lastUpdated=gt9999"));
        Assert.Empty(await Found("created=9999"));
        Assert.Empty(await Found("created=ge9999-12-31T23:59:59Z"));
        Assert.Equal([claim.Id], await Found("_lastUpdated=le9999-12-31"));
        Assert.Equal([claim.Id], await Found("_lastUpdated=gt0001-01-01"));
        Assert.Equal([claim.Id], await Found("created=lt9999&created=ge0001"));
    }

    [Theory]
    [InlineData("Claim?created=2026-13-45")]
    [InlineData("Claim?created=ap2026-01-01")]
    [InlineData("Claim?created=10000-01-01")]
    [InlineData("Claim?_lastUpdated=ge2026-01-01,le2027-01-01")]
    [InlineData("Claim?_count=0")]
    [InlineData("Questionnaire?_count=-3")]
    [InlineData("Questionnaire?_cursor=not-a-cursor")]
    [InlineData("Claim?_cursor=not-a-cursor")]
    [InlineData("Claim?identifier=|")]
    [InlineData("Claim?_id=ok,not_valid!")]
    public async Task Search_BadValue_Is400Outcome(string relative)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        await RefusalAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("1e20")]
    [InlineData("0.5")]
    [InlineData("-3")]
    public async Task Package_ServiceRequestQuantityNotAWholeNumberOfUnits_Is400NamingIt(string quantity)
    {
        using var client = Client();

        using var response = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$questionnaire-package"),
            FhirHttp.Json(PackageRequest(decimal.Parse(quantity, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture))));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("quantity", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string, string> BadBodies => new()
    {
        { "Questionnaire/$questionnaire-package", "application/fhir+json", "{\"resourceType\":\"Parameters\",", "not valid JSON" },
        { "Questionnaire/$questionnaire-package", "application/fhir+xml", "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter>", "XML" },
        { "Questionnaire/$questionnaire-package", "application/fhir+json", "", "empty" },
        { "Questionnaire/$next-question", "application/fhir+json", "{\"resourceType\":\"Flurb\",\"id\":\"x\"}", "Flurb" },
        { "Claim/$submit", "application/fhir+json", "{\"resourceType\":\"Patient\",\"gender\":\"male\"}", "Bundle" },
        { "Claim/$submit", "application/fhir+json", "{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[]}", "no entries" },
        { "ValueSet/$expand", "application/fhir+json", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"url\",\"valueInteger\":\"x\"}]}", "parsed" },
        { "Patient/$member-match", "application/fhir+xml", "not xml at all", "XML" },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"gender\":\"sometimes\"}", "gender" },
        { "Patient", "application/fhir+json", "42", "JSON object" },
        { "Questionnaire/$questionnaire-package", "application/fhir+json", "\"hello\"", "JSON object" },
        { "Claim/$submit", "application/fhir+json", "[{\"resourceType\":\"Bundle\"}]", "JSON object" },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"gender\":\"male\",\"gender\":\"female\"}", "\"gender\" appears twice" },
        { "Questionnaire/$questionnaire-package", "application/fhir+json", "{\"resourceType\":\"Parameters\",\"parameter\":[{\"name\":\"a\",\"name\":\"b\"}]}", "\"name\" appears twice" },
        { "Claim/$submit", "application/fhir+json", "{\"resourceType\":\"Patient\",\"resourceType\":\"Bundle\"}", "\"resourceType\" appears twice" },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"A\\u0001\"}]}", "U+0001" },
        { "Questionnaire/$questionnaire-package", "application/fhir+json", "{\"resourceType\":\"Parameters\",\"id\":\"x\\u0000\"}", "control character" },
        { "Patient/$member-match", "application/fhir+json", "{\"resourceType\":\"Parameters\",\"id\":\"x\\f\"}", "control character" },
        { "Patient", "application/fhir+json", "{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"A\\ud800\"}]}", "surrogate" },
    };

    /// <summary>
    /// XML nested far past anything FHIR needs, well within the 2 MB body limit. Firely's XML
    /// deserializer recurses per element: until 2026-12 a Parameters of 10,000 nested parts
    /// (about 300 KB) overflowed the stack and ended the server process for every caller.
    /// </summary>
    [Theory]
    [InlineData("Questionnaire/$next-question", "parameter")]
    [InlineData("$questionnaire-package", "parameter")]
    [InlineData("ValueSet/$expand", "parameter")]
    [InlineData("Patient", "extension")]
    public async Task XmlBody_NestedTenThousandDeep_Is400AndTheServerLives(string relative, string nesting)
    {
        using var client = Client();
        const int depth = 10_000;
        var body = nesting == "parameter"
            ? "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"x\"/>"
              + string.Concat(Enumerable.Repeat("<part><name value=\"x\"/>", depth)) + "<valueString value=\"a\"/>"
              + string.Concat(Enumerable.Repeat("</part>", depth)) + "</parameter></Parameters>"
            : "<Patient xmlns=\"http://hl7.org/fhir\">"
              + string.Concat(Enumerable.Repeat("<extension url=\"http://example.org/x\">", depth)) + "<valueString value=\"a\"/>"
              + string.Concat(Enumerable.Repeat("</extension>", depth)) + "</Patient>";

        using var response = await client.PostAsync(FhirHttp.Fhir(relative), Raw(body, "application/fhir+xml"));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("nests XML elements more than 64 deep", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        using var metadata = await client.GetAsync(FhirHttp.Fhir("metadata"));
        Assert.Equal(HttpStatusCode.OK, metadata.StatusCode);
    }

    [Fact]
    public async Task XmlBody_NestedAsDeepAsJsonAllows_IsReadAsBefore()
    {
        // 25 nested parts: as deep as a JSON body of the same Parameters may go (64 JSON levels).
        using var client = Client();
        var body = "<Parameters xmlns=\"http://hl7.org/fhir\"><parameter><name value=\"x\"/>"
            + string.Concat(Enumerable.Repeat("<part><name value=\"x\"/>", 25)) + "<valueString value=\"a\"/>"
            + string.Concat(Enumerable.Repeat("</part>", 25)) + "</parameter></Parameters>";

        using var response = await client.PostAsync(FhirHttp.Fhir("Questionnaire/$next-question"), Raw(body, "application/fhir+xml"));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("'x' is not a parameter of Questionnaire/$next-question", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_ManyPropertiesOneRepeated_Is400()
    {
        // Past the names compared one by one, the check keeps a set; a repeat is still found.
        using var client = Client();
        var properties = string.Join(",", Enumerable.Range(0, 40).Select(i => $"\"x{i}\":1"));

        using var response = await client.PostAsync(FhirHttp.Fhir("Patient"), Raw($"{{\"resourceType\":\"Patient\",{properties},\"x7\":2}}", "application/fhir+json"));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("\"x7\" appears twice", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_SameNameInDifferentObjects_IsNoRepeat()
    {
        using var client = Client();

        using var response = await client.PostAsync(FhirHttp.Fhir("Patient"),
            Raw("{\"resourceType\":\"Patient\",\"name\":[{\"family\":\"A\",\"given\":[\"B\"]},{\"family\":\"C\"}],\"contact\":[{\"name\":{\"family\":\"D\"}}]}", "application/fhir+json"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("Patient/a%0d%0aX-Injected:%201")]
    [InlineData("Subscription/a%0d%0aX-Injected:%201")]
    [InlineData("Subscription/has_underscore")]
    [InlineData("Questionnaire/" + "x12345678901234567890123456789012345678901234567890123456789012345")]
    [InlineData("Claim/bad!id/_history/1")]
    public async Task Read_IdNoResourceCanHave_Is400OnEveryType(string relative)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains("not a valid FHIR id", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// A test kit probing an operation with GET reached the read route, which used to answer 400
    /// "not a valid FHIR id" about "$submit": the operation is served, only not by GET (405), and an
    /// operation the type does not have is not-supported (404) — each an OperationOutcome saying so.
    /// </summary>
    [Theory]
    [InlineData("Claim/$submit", HttpStatusCode.MethodNotAllowed, "Claim/$submit is invoked with POST")]
    [InlineData("Claim/$inquire", HttpStatusCode.MethodNotAllowed, "Claim/$inquire is invoked with POST")]
    [InlineData("Questionnaire/$questionnaire-package", HttpStatusCode.MethodNotAllowed, "Questionnaire/$questionnaire-package is invoked with POST")]
    [InlineData("Claim/$everything", HttpStatusCode.NotFound, "No operation of that name")]
    public async Task Read_OperationNameWhereTheIdGoes_SaysHowTheOperationIsCalled(string relative, HttpStatusCode expected, string says)
    {
        using var client = Client();

        using var response = await client.GetAsync(FhirHttp.Fhir(relative));

        var outcome = await RefusalAsync(response, expected);
        Assert.Equal(OperationOutcome.IssueType.NotSupported, outcome.Issue[0].Code);
        Assert.Contains(says, outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>
    /// An operation name the server does not serve, or a served one called by a method or at a
    /// level that does not invoke it, is one answer whatever the method, level and format: an
    /// OperationOutcome with issue code not-supported — 405 naming the methods that invoke it where
    /// one does at that path, else 404. (POST of an unknown operation used to be routing's bare
    /// 405 "Method POST is not allowed here"; POST /fhir/$nope a 404 about a resource type "$nope".)
    /// </summary>
    [Theory]
    [InlineData("POST", "Claim/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("PUT", "Claim/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("DELETE", "Claim/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("POST", "Questionnaire/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("POST", "Flurb/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("POST", "ClaimResponse/some-id/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("GET", "ClaimResponse/some-id/$nope", HttpStatusCode.NotFound, "No operation of that name is served on this type")]
    [InlineData("POST", "$nope", HttpStatusCode.NotFound, "No system-level operation of that name")]
    [InlineData("GET", "$nope", HttpStatusCode.NotFound, "No system-level operation of that name")]
    [InlineData("POST", "$submit", HttpStatusCode.NotFound, "No system-level operation of that name")]
    [InlineData("GET", "ClaimResponse/some-id/$review", HttpStatusCode.MethodNotAllowed, "ClaimResponse/$review is invoked with POST, not GET")]
    [InlineData("DELETE", "Subscription/some-id/$status", HttpStatusCode.MethodNotAllowed, "Subscription/$status is invoked with GET or POST, not DELETE")]
    [InlineData("PUT", "Claim/$submit", HttpStatusCode.MethodNotAllowed, "Claim/$submit is invoked with POST, not PUT")]
    [InlineData("POST", "Claim/some-id/$submit", HttpStatusCode.NotFound, "Claim/$submit is not served at this level")]
    [InlineData("GET", "Subscription/$status", HttpStatusCode.NotFound, "Subscription/$status is not served at this level")]
    public async Task Operation_NotServedAsCalled_IsNotSupportedInEveryFormat(string method, string relative, HttpStatusCode expected, string says)
    {
        using var client = Client();
        foreach (var accept in new[] { "application/fhir+json", "application/fhir+xml" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), FhirHttp.Fhir(relative));
            request.Headers.Accept.ParseAdd(accept);
            if (method is "POST" or "PUT")
            {
                request.Content = FhirHttp.Json(new Parameters());
            }

            using var response = await client.SendAsync(request);

            var body = await response.Content.ReadAsStringAsync();
            Assert.True(expected == response.StatusCode, $"{method} {relative} ({accept}): expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            Assert.Equal(accept, response.Content.Headers.ContentType?.MediaType);
            var outcome = accept.EndsWith("xml", StringComparison.Ordinal)
                ? Assert.IsType<OperationOutcome>(await ReadXmlAsync(response))
                : await FhirHttp.OutcomeAsync(response);
            var issue = Assert.Single(outcome.Issue);
            Assert.Equal(OperationOutcome.IssueType.NotSupported, issue.Code);
            Assert.Contains(says, issue.Diagnostics, StringComparison.Ordinal);
            Assert.DoesNotContain("$nope", issue.Diagnostics, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task Body_Malformed_Is400SayingWhatIsWrong(string relative, string contentType, string body, string mentions)
    {
        // $member-match is for other payers only: anyone else is refused before the body is read.
        using var client = relative == "Patient/$member-match" ? FhirHttp.Partner(App, FhirData.Unique("payer")) : Client();

        using var response = await client.PostAsync(FhirHttp.Fhir(relative), Raw(body, contentType));

        var outcome = await RefusalAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains(mentions, outcome.Issue[0].Diagnostics, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("Questionnaire/$questionnaire-package")]
    [InlineData("Claim/$submit")]
    [InlineData("Patient")]
    public async Task Body_NotFhirContentType_Is415Everywhere(string relative)
    {
        using var client = Client();

        using var response = await client.PostAsync(FhirHttp.Fhir(relative), Raw("a=b", "text/plain"));

        await RefusalAsync(response, HttpStatusCode.UnsupportedMediaType);
    }
}
