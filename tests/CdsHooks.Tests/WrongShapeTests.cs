using System.Net;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// JSON of the wrong shape where the hook reads FHIR — an object where FHIR JSON has an array, an
/// array or a string where it has an object — is refused with a 422 naming the element, never read
/// as "absent": a payer must not answer "no authorization needed" because it could not read the order.
/// </summary>
public sealed class WrongShapeTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string Cpt = CrdTestData.CptSystem;

    private static HookRequestBuilder Valid() => new HookRequestBuilder("order-sign")
        .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
        .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"));

    private static JsonObject CollectionOf(params JsonNode[] resources) => new()
    {
        ["resourceType"] = "Bundle",
        ["type"] = "collection",
        ["entry"] = new JsonArray([.. resources.Select(r => (JsonNode)new JsonObject { ["resource"] = r })]),
    };

    private static JsonObject Order(string cpt, string id) => HookRequestBuilder.Fhir(CrdTestData.Order(cpt, id)).AsObject();

    private static void AssertRefused(CrdCall call, string error, string expression)
    {
        Assert.True(call.Status == HttpStatusCode.UnprocessableEntity, call.ToString());
        Assert.Equal(error, call.Error);
        var issue = Assert.Single(call.Outcome!.Issue);
        Assert.StartsWith(expression, issue.Expression.Single(), StringComparison.Ordinal);
        Assert.Contains(expression, call.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> ServiceRequestElements() => new()
    {
        { "code", $$$"""{"coding": {"system": "{{{Cpt}}}", "code": "64628"}}""", "ServiceRequest.code" },
        { "code", $$$"""[{"coding": [{"system": "{{{Cpt}}}", "code": "64628"}]}]""", "ServiceRequest.code" },
        { "code", """{"coding": ["64628"]}""", "ServiceRequest.code" },
        { "code", "\"64628\"", "ServiceRequest.code" },
        { "subject", """[{"reference": "Patient/pat-1"}]""", "ServiceRequest.subject" },
        { "subject", "\"Patient/pat-1\"", "ServiceRequest.subject" },
        { "quantityQuantity", """[{"value": 1}]""", "ServiceRequest.quantityQuantity" },
        { "occurrenceDateTime", """{"start": "2026-03-01"}""", "ServiceRequest.occurrenceDateTime" },
        { "occurrencePeriod", """[{"start": "2026-03-01"}]""", "ServiceRequest.occurrencePeriod" },
        { "occurrenceTiming", "\"weekly\"", "ServiceRequest.occurrenceTiming" },
        { "extension", """{"url": "http://example.org/x", "valueString": "x"}""", "ServiceRequest.extension" },
    };

    /// <summary>The probe's order: CPT 64628 with code.coding an object was answered 200 "no-auth".</summary>
    [Theory]
    [MemberData(nameof(ServiceRequestElements))]
    public async Task OrderSign_GovernedOrderWithAnElementOfTheWrongShape_Is422NamingIt(string element, string value, string expression)
    {
        var order = Order("64628", "sr-bvna");
        order[element] = JsonNode.Parse(value);

        var call = await app.CallAsync("order-sign-crd", Valid().Context("draftOrders", CollectionOf(order)).Build());

        AssertRefused(call, "invalid-fhir", expression);
        Assert.DoesNotContain("no-auth", call.Body, StringComparison.Ordinal);
    }

    /// <summary>An unreadable code hides whether the order is governed, whatever the code seems to be.</summary>
    [Theory]
    [InlineData("order-sign")]
    [InlineData("order-select")]
    public async Task Hook_OrderWhoseCodeIsUnreadable_Is422WhateverTheCode(string hook)
    {
        var order = Order("27447", "sr-knee");
        order["code"] = JsonNode.Parse($$$"""{"coding": {"system": "{{{Cpt}}}", "code": "27447"}}""");
        var body = new HookRequestBuilder(hook)
            .Context("draftOrders", CollectionOf(Order("64493", "sr-facet"), order))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync($"{hook}-crd", body);

        AssertRefused(call, "invalid-fhir", "ServiceRequest.code");
        Assert.Contains("ServiceRequest/sr-knee", call.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> AppointmentElements() => new()
    {
        { "basedOn", """{"reference": "ServiceRequest/sr-bvna"}""", "Appointment.basedOn" },
        { "basedOn", "\"ServiceRequest/sr-bvna\"", "Appointment.basedOn" },
        { "start", """{"value": "2026-03-02T09:00:00Z"}""", "Appointment.start" },
        { "requestedPeriod", """{"start": "2026-03-01"}""", "Appointment.requestedPeriod" },
    };

    [Theory]
    [MemberData(nameof(AppointmentElements))]
    public async Task AppointmentBook_GovernedAppointmentWithAnElementOfTheWrongShape_Is422NamingIt(string element, string value, string expression)
    {
        var appointment = HookRequestBuilder.Fhir(CrdTestData.Appointment("apt-1", "ServiceRequest/sr-bvna")).AsObject();
        appointment[element] = JsonNode.Parse(value);
        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", CollectionOf(appointment))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Prefetch("appointmentOrders", CrdTestData.Searchset(CrdTestData.Order("64628", "sr-bvna")))
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        AssertRefused(call, "invalid-fhir", expression);
    }

    /// <summary>The orders an Appointment contains say what it books: contained of the wrong shape, or a contained order whose code is unreadable, is refused.</summary>
    [Theory]
    [InlineData("contained", "Appointment.contained")]
    [InlineData("contained[0]", "Appointment.contained[0]")]
    [InlineData("contained code", "Appointment.contained[0].code")]
    [InlineData("basedOn #missing", "Appointment.basedOn")]
    public async Task AppointmentBook_ContainedOrderUnreadable_Is422NamingIt(string breakage, string expression)
    {
        var booked = Order("64628", "sr-bvna");
        var appointment = HookRequestBuilder.Fhir(CrdTestData.Appointment("apt-1", "#sr-bvna")).AsObject();
        appointment["contained"] = breakage switch
        {
            "contained" => booked,
            "contained[0]" => new JsonArray("ServiceRequest/sr-bvna"),
            "contained code" => new JsonArray(Broken(booked)),
            _ => new JsonArray(booked),
        };
        if (breakage == "basedOn #missing")
        {
            appointment["basedOn"] = new JsonArray(new JsonObject { ["reference"] = "#sr-other" });
        }

        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", CollectionOf(appointment))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        AssertRefused(call, "invalid-fhir", expression);

        static JsonObject Broken(JsonObject order)
        {
            order["code"] = JsonNode.Parse($$$"""{"coding": {"system": "{{{Cpt}}}", "code": "64628"}}""");
            return order;
        }
    }

    [Fact]
    public async Task AppointmentBook_ContainedGovernedOrder_IsAnswered()
    {
        var appointment = HookRequestBuilder.Fhir(CrdTestData.Appointment("apt-1", "#sr-bvna")).AsObject();
        appointment["contained"] = new JsonArray(Order("64628", "sr-bvna"));
        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", CollectionOf(appointment))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        Assert.Equal("auth-needed", call.CoverageInfoFor("apt-1").PaNeeded);
    }

    public static TheoryData<string, string> DraftOrderBundles() => new()
    {
        { """{"resource": {"resourceType": "ServiceRequest"}}""", "context.draftOrders.entry" },
        { """["ServiceRequest/sr-bvna"]""", "context.draftOrders.entry[0]" },
        { """[{"fullUrl": "urn:uuid:8f0b8e5a-5d4e-4c43-9b1e-0d7e4a0f3c11"}]""", "context.draftOrders.entry[0].resource" },
        { """[{"resource": "ServiceRequest/sr-bvna"}]""", "context.draftOrders.entry[0].resource" },
        { """[{"resource": {"id": "sr-bvna"}}]""", "context.draftOrders.entry[0].resource" },
    };

    /// <summary>The probe's draftOrders with entry an object was answered 200 with no cards: the orders were dropped.</summary>
    [Theory]
    [MemberData(nameof(DraftOrderBundles))]
    public async Task OrderSign_DraftOrdersEntryOfTheWrongShape_Is422NamingIt(string entry, string expression)
    {
        var bundle = CollectionOf(Order("64628", "sr-bvna"));
        bundle["entry"] = JsonNode.Parse(entry);

        var call = await app.CallAsync("order-sign-crd", Valid().Context("draftOrders", bundle).Build());

        AssertRefused(call, "invalid-fhir", expression);
    }

    [Theory]
    [InlineData("patient", "\"Patient/pat-1\"")]
    [InlineData("patient", "42")]
    [InlineData("patient", "[]")]
    [InlineData("patient", "{\"id\": \"pat-1\"}")]
    [InlineData("coverage", "\"Coverage?patient=pat-1\"")]
    public async Task OrderSign_PrefetchValueNotAResource_Is422NamingTheKey(string key, string value)
    {
        var body = Valid().Build();
        body["prefetch"]![key] = JsonNode.Parse(value);

        var call = await app.CallAsync("order-sign-crd", body);

        AssertRefused(call, "invalid-prefetch", $"prefetch.{key}");
    }

    [Fact]
    public async Task OrderSign_PrefetchSearchsetEntryAnObject_Is422NamingIt()
    {
        var body = Valid().Build();
        var coverage = body["prefetch"]!["coverage"]!.AsObject();
        coverage["entry"] = coverage["entry"]![0]!.DeepClone();

        var call = await app.CallAsync("order-sign-crd", body);

        AssertRefused(call, "invalid-fhir", "prefetch.coverage.entry");
    }

    /// <summary>CDS Hooks: null means the EHR could not get the data; the service then does without (here, the birth date).</summary>
    [Fact]
    public async Task OrderSign_PrefetchPatientNull_IsAnswered()
    {
        var body = Valid().Build();
        body["prefetch"]!["patient"] = null;

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.True(call.Status != HttpStatusCode.UnprocessableEntity, call.ToString());
    }

    /// <summary>The Coverage search filled with the member's Patient is refused, not read as "no coverage".</summary>
    [Fact]
    public async Task OrderSign_PrefetchCoverageHoldingAPatient_Is422SayingSo()
    {
        var body = Valid().Build();
        body["prefetch"]!["coverage"] = HookRequestBuilder.Fhir(CrdTestData.Patient(50));

        var call = await app.CallAsync("order-sign-crd", body);

        AssertRefused(call, "unexpected-resource", "prefetch.coverage");
        Assert.Contains("holds a Patient and no Coverage", call.Message, StringComparison.Ordinal);
    }

    /// <summary>An empty searchset is a member with no coverage on file: answered, not refused.</summary>
    [Fact]
    public async Task OrderSign_PrefetchCoverageEmptySearchset_IsAnswered()
    {
        var body = Valid().Build();
        body["prefetch"]!["coverage"] = HookRequestBuilder.Fhir(CrdTestData.Searchset());

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
    }

    [Fact]
    public async Task OrderSign_PrefetchPatientHoldingACoverage_Is422SayingSo()
    {
        var body = Valid().Build();
        body["prefetch"]!["patient"] = HookRequestBuilder.Fhir(CrdTestData.Coverage("MGB-COMMERCIAL"));

        var call = await app.CallAsync("order-sign-crd", body);

        AssertRefused(call, "unexpected-resource", "prefetch.patient");
        Assert.Contains("a Coverage where the Patient", call.Message, StringComparison.Ordinal);
    }

    /// <summary>The probe's member born 2999-01-01 was answered "auth-needed"; PAS and DTR refuse the same record (PatientFacts.CheckBornBy).</summary>
    [Theory]
    [InlineData("2999-01-01")]
    [InlineData("2999")]
    public async Task OrderSign_MemberBornAfterTheDateOfService_Is422NamingTheBirthDate(string birthDate)
    {
        var patient = HookRequestBuilder.Fhir(CrdTestData.Patient(50)).AsObject();
        patient["birthDate"] = birthDate;
        var body = Valid().Build();
        body["prefetch"]!["patient"] = patient;

        var call = await app.CallAsync("order-sign-crd", body);

        AssertRefused(call, "invalid-birth-date", "Patient.birthDate");
        Assert.Contains("after the date of service", call.Message, StringComparison.Ordinal);
    }
}
