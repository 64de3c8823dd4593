using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// Every malformed request gets a 4xx naming what was wrong, never a 500: 400 only when the body is
/// not JSON; 422 with an OperationOutcome when readable JSON breaks a CDS Hooks or FHIR rule.
/// </summary>
public sealed class BadInputTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string Service = "order-sign-crd";

    private static HookRequestBuilder Valid() => new HookRequestBuilder("order-sign")
        .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
        .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"));

    /// <summary>A draftOrders Bundle around one order as raw JSON, so a test can break it in ways Firely would not write.</summary>
    private static JsonObject CollectionOf(JsonObject order) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "collection",
        ["entry"] = new JsonArray(new JsonObject { ["resource"] = order }),
    };

    private Task<CrdCall> SendRawAsync(string body, string contentType = "application/json") =>
        app.SendAsync(Service, new StringContent(body, Encoding.UTF8, contentType), TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(Service)));

    [Fact]
    public async Task Call_InvalidJson_Is400InvalidJson()
    {
        var call = await SendRawAsync("{\"hook\": \"order-sign\", ");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("invalid-json", call.Error);
    }

    [Theory]
    [InlineData("{\"hook\": \"patient-view\", \"hook\": \"order-sign\"}", "\"hook\" appears twice")]
    [InlineData("{\"hook\": \"order-sign\", \"hookInstance\": \"a\\u0001b\"}", "U+0001")]
    [InlineData("{\"hook\": \"order-sign\", \"hookInstance\": \"a\\ud800\"}", "surrogate")]
    public async Task Call_ValidJsonThatFhirJsonRulesRefuse_Is422SayingWhy(string body, string says)
    {
        var call = await SendRawAsync(body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-request", call.Error);
        Assert.Contains(says, call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_BodyThatIsNotUtf8_Is400InvalidJson()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"hook\": \"order-sign\", \"hookInstance\": \"x\"}");
        bytes[^3] = 0xFF;

        var call = await app.SendAsync(Service, new ByteArrayContent(bytes) { Headers = { ContentType = new("application/json") } }, TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(Service)));

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("invalid-json", call.Error);
    }

    [Fact]
    public async Task Call_EmptyBody_Is400()
    {
        var call = await SendRawAsync("");

        Assert.Equal(HttpStatusCode.BadRequest, call.Status);
        Assert.Equal("empty-body", call.Error);
    }

    [Fact]
    public async Task Call_JsonArrayBody_Is422()
    {
        var call = await SendRawAsync("[]");

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-request", call.Error);
    }

    [Fact]
    public async Task Call_MissingHook_Is422NamingHook()
    {
        var call = await app.CallAsync(Service, Valid().Without("hook").Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("missing-hook", call.Error);
    }

    [Fact]
    public async Task Call_HookOfAnotherService_Is422WrongHook()
    {
        var call = await app.CallAsync(Service, Valid().Set("hook", "order-select").Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("wrong-hook", call.Error);
        Assert.Contains("order-select", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_MissingHookInstance_Is422WithOperationOutcome()
    {
        var call = await app.CallAsync(Service, Valid().Without("hookInstance").Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("missing-hookinstance", call.Error);
        Assert.Equal(Hl7.Fhir.Model.OperationOutcome.IssueSeverity.Error, Assert.Single(call.Outcome!.Issue).Severity);
    }

    [Fact]
    public async Task Call_NoContext_Is422MissingContext()
    {
        var call = await app.CallAsync(Service, Valid().Without("context").Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("missing-context", call.Error);
    }

    [Fact]
    public async Task OrderSign_NoDraftOrders_Is422NamingTheField()
    {
        var call = await app.CallAsync(Service, Valid().Context("draftOrders", null).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("missing-context-field", call.Error);
        Assert.Contains("draftOrders", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_FhirServerNotAUrl_Is422()
    {
        var call = await app.CallAsync(Service, Valid().Set("fhirServer", "not a url").Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-fhir-server", call.Error);
    }

    [Theory]
    [InlineData("quantityQuantity", "{\"value\": \"two\"}", "quantityQuantity")]
    [InlineData("quantityString", "\"2\"", "quantityString")]
    [InlineData("occurrencePeriod", "{\"start\": \"soon\"}", "occurrencePeriod")]
    [InlineData("id", "\"not a valid id\"", "id")]
    [InlineData("extension", "[]", "extension")]
    public async Task OrderSign_GovernedOrderWithAnElementTheHookReadsInvalid_Is422NamingIt(string element, string value, string named)
    {
        var order = HookRequestBuilder.Fhir(CrdTestData.Order("64493", "sr-facet")).AsObject();
        order[element] = JsonNode.Parse(value);
        var body = Valid().Context("draftOrders", CollectionOf(order)).Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-fhir", call.Error);
        Assert.Contains("ServiceRequest", call.Message, StringComparison.Ordinal);
        Assert.Contains(named, call.Message, StringComparison.Ordinal);
        Assert.NotEmpty(call.Outcome!.Issue);
    }

    /// <summary>
    /// The hook reads only the elements a decision and its annotation use (issue #11): a defect in
    /// another one is the EHR's, and the update action hands the order back as the EHR sent it.
    /// </summary>
    [Fact]
    public async Task OrderSign_GovernedOrderWithADefectInAnElementTheHookDoesNotRead_IsAnsweredAndEchoed()
    {
        var order = HookRequestBuilder.Fhir(CrdTestData.Order("64493", "sr-facet")).AsObject();
        order["authoredOn"] = "yesterday";
        var body = Valid().Context("draftOrders", CollectionOf(order)).Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var action = Assert.Single(call.SystemActions);
        Assert.Equal("yesterday", action.GetProperty("resource").GetProperty("authoredOn").GetString());
    }

    [Theory]
    [InlineData("64493")]
    [InlineData("27447")]
    public async Task OrderSign_ServiceRequestWithInvalidStatus_Is422WhateverItsCode(string cpt)
    {
        var order = HookRequestBuilder.Fhir(CrdTestData.Order(cpt, "sr-1")).AsObject();
        order["status"] = "not-a-status";
        var body = Valid().Context("draftOrders", CollectionOf(order)).Build();

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-status", call.Error);
        Assert.Contains("status", Assert.Single(call.Outcome!.Issue).Expression.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_InvalidCoverageInPrefetch_Is422WithOperationOutcome()
    {
        var coverage = HookRequestBuilder.Fhir(CrdTestData.Searchset(CrdTestData.Coverage("MGB-COMMERCIAL"))).AsObject();
        coverage["entry"]![0]!["resource"]!["status"] = 42;
        var body = Valid().Build();
        body["prefetch"]!["coverage"] = coverage;

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-fhir", call.Error);
        Assert.NotNull(call.Outcome);
    }

    [Theory]
    [InlineData("class", "{\"type\": {\"text\": \"plan\"}, \"value\": \"MGB-COMMERCIAL\"}", "Coverage.class")]
    [InlineData("payor", "[{\"identifier\": \"SPINEPOLICY-PAYER\"}]", "Coverage.payor[0].identifier")]
    [InlineData("status", "\"bogus\"", "Coverage.status")]
    [InlineData("id", "\"not a valid id\"", "Coverage.id")]
    public async Task OrderSign_CoverageElementTheHookReadsIsMalformed_Is422NamingTheElement(string element, string value, string expression)
    {
        var coverage = HookRequestBuilder.Fhir(CrdTestData.Searchset(CrdTestData.Coverage("MGB-COMMERCIAL"))).AsObject();
        coverage["entry"]![0]!["resource"]![element] = JsonNode.Parse(value);
        var body = Valid().Build();
        body["prefetch"]!["coverage"] = coverage;

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-fhir", call.Error);
        Assert.Equal(expression, Assert.Single(call.Outcome!.Issue).Expression.Single());
    }

    [Theory]
    [InlineData("19610701")]
    [InlineData("\"1961-07-01T10:00:00Z\"")]
    [InlineData("\"07/01/1961\"")]
    public async Task OrderSign_PatientBirthDateMalformed_Is422NamingIt(string birthDate)
    {
        var patient = HookRequestBuilder.Fhir(CrdTestData.Patient(40)).AsObject();
        patient["birthDate"] = JsonNode.Parse(birthDate);
        var body = Valid().Build();
        body["prefetch"]!["patient"] = patient;

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-fhir", call.Error);
        Assert.Equal("Patient.birthDate", Assert.Single(call.Outcome!.Issue).Expression.Single());
    }

    [Fact]
    public async Task OrderSign_PatientElementTheHookDoesNotRead_IsNotItsConcern()
    {
        // A hook reads the birth date only; a defect elsewhere in the Patient does not stop the answer.
        var patient = HookRequestBuilder.Fhir(CrdTestData.Patient(40)).AsObject();
        patient["gender"] = "not-a-gender";
        var body = Valid().Build();
        body["prefetch"]!["patient"] = patient;

        var call = await app.CallAsync(Service, body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
    }

    [Fact]
    public async Task OrderSign_DefectiveOrderNotGoverned_IsToleratedAndTheGovernedOneAnswered()
    {
        var broken = new JsonObject
        {
            ["resourceType"] = "MedicationRequest",
            ["id"] = "med-1",
            ["status"] = "draft",
            ["dosageInstruction"] = new JsonArray(new JsonObject { ["doseAndRate"] = new JsonObject { ["type"] = "oops" } }),
        };
        var body = Valid().Build();
        body["context"]!["draftOrders"]!["entry"]!.AsArray().Add(new JsonObject { ["resource"] = broken });

        var call = await app.CallAsync(Service, body);

        // The governed order is answered as sound FHIR; the broken one is still annotated with the
        // payer's default and handed back as the EHR sent it (its defects are the EHR's to fix).
        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(2, call.SystemActions.Count);
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-facet").PaNeeded);
        var echoed = call.SystemActions.Select(a => a.GetProperty("resource")).Single(r => r.GetProperty("id").GetString() == "med-1");
        Assert.Equal("MedicationRequest", echoed.GetProperty("resourceType").GetString());
        Assert.Contains("no-auth", echoed.GetProperty("extension").GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Call_OversizedBody_Is413()
    {
        var body = Valid().Build();
        body["padding"] = new string('x', 3 * 1024 * 1024);

        var call = await app.CallAsync(Service, body);

        // The host's request limits or the service's own check, whichever sees it first: a 413 with a reason.
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, call.Status);
        Assert.Contains(call.Error, new[] { "request-too-large", "payload-too-large" });
    }

    /// <summary>
    /// Over a real socket (the in-memory test server always gives the server a length): a body
    /// sent chunked, without Content-Length, is read whole, and past the limit it is a 413.
    /// </summary>
    [Fact]
    public async Task Call_ChunkedBodiesWithoutContentLength_AreReadWholeAndRefusedPastTheLimit()
    {
        using var server = new SpinePolicyApp(new Dictionary<string, string?> { ["MemberCoverage:PayorIdentifiers:0"] = CrdTestData.OurPayor });
        var baseAddress = server.StartOnLoopback();
        using var client = new HttpClient { BaseAddress = baseAddress };
        var oversized = Valid().Build();
        oversized["padding"] = new string('x', 3 * 1024 * 1024);

        var answered = await SendChunkedAsync(client, Valid().Build().ToJsonString());
        var refused = await SendChunkedAsync(client, oversized.ToJsonString());

        Assert.Equal(HttpStatusCode.OK, answered.Status);
        Assert.Equal("auth-needed", answered.CoverageInfoFor("sr-facet").PaNeeded);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.Status);
        Assert.Contains(refused.Error, new[] { "request-too-large", "payload-too-large" });
    }

    private static async Task<CrdCall> SendChunkedAsync(HttpClient client, string json)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{Service}") { Content = new UnsizedJson(json) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(Service)));
        using var response = await client.SendAsync(request);
        Assert.True(request.Headers.TransferEncodingChunked, "the request went chunked");
        return await CrdCall.ReadAsync(response);
    }

    [Fact]
    public async Task Call_NotJsonContentType_Is415()
    {
        var call = await SendRawAsync("hook=order-sign", "application/x-www-form-urlencoded");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, call.Status);
    }

    [Fact]
    public async Task Call_UnknownService_Is404WithMessage()
    {
        var call = await app.CallAsync("no-such-service", Valid().Build());

        Assert.Equal(HttpStatusCode.NotFound, call.Status);
        Assert.Equal("unknown-service", call.Error);
    }

    [Fact]
    public async Task Call_ConfigurationWithWrongType_Is422()
    {
        var call = await app.CallAsync(Service, Valid().Configuration(new JsonObject { ["max-cards"] = "three" }).Build());

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("invalid-configuration", call.Error);
    }

    /// <summary>JSON sent without a Content-Length, as a streaming EHR client may send it.</summary>
    private sealed class UnsizedJson : HttpContent
    {
        private readonly byte[] _body;

        public UnsizedJson(string json)
        {
            _body = Encoding.UTF8.GetBytes(json);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_body).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
