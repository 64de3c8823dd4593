using System.Net;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Ehr;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// CDS Hooks: context.patientId is the patient the call is about, and the prefetch templates ask for
/// that patient's data. A request whose prefetched Patient, Coverage or orders name another patient
/// contradicts itself and is refused (422), in every hook: the service never records an assertion
/// for one member decided on another's data.
/// </summary>
public sealed class PatientInContextTests(CrdApp app) : IClassFixture<CrdApp>
{
    private static void AssertMismatch(CrdCall call, string expression)
    {
        Assert.True(call.Status == HttpStatusCode.UnprocessableEntity, call.ToString());
        Assert.Equal("patient-mismatch", call.Error);
        Assert.Contains("not the patient in context", call.Message, StringComparison.Ordinal);
        Assert.Equal(expression, Assert.Single(call.Outcome!.Issue).Expression.Single());
    }

    /// <summary>The probe's request: context.patientId "someone-else", everything else for pat-1.</summary>
    [Fact]
    public async Task OrderSign_PatientIdNotThePrefetchedPatients_Is422()
    {
        var body = new HookRequestBuilder("order-sign", patientId: "someone-else")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna", patientId: "someone-else"))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL", patientId: "someone-else"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        AssertMismatch(call, "Patient.id");
        Assert.Contains("Patient/pat-1", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_CoverageOfAnotherPatient_Is422()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL", patientId: "pat-2"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        AssertMismatch(call, "Coverage.beneficiary");
    }

    /// <summary>Not prefetched, the Patient is read from the EHR; an answer naming another patient is the same contradiction.</summary>
    [Fact]
    public async Task OrderSign_PatientReadFromTheEhrIsAnotherPatient_Is422()
    {
        var other = CrdTestData.Patient(50);
        other.Id = "pat-2";
        using var ehr = new FakeEhr().ServeReadAt($"Patient/{CrdTestData.PatientId}", other);
        app.AllowFhirServer(ehr.FhirBase);
        var call = await app.CallAsync("order-sign-crd", OrderSignWithThePatientLeftToTheEhr(ehr));

        AssertMismatch(call, "Patient.id");
        Assert.Contains("the EHR's answer to Patient/pat-1 is Patient/pat-2", call.Message, StringComparison.Ordinal);
    }

    /// <summary>The same read answered with the patient in context is used (the age it gives decides nothing else here).</summary>
    [Fact]
    public async Task OrderSign_PatientReadFromTheEhr_IsAnswered()
    {
        using var ehr = new FakeEhr().ServeRead(CrdTestData.Patient(50));
        app.AllowFhirServer(ehr.FhirBase);
        var call = await app.CallAsync("order-sign-crd", OrderSignWithThePatientLeftToTheEhr(ehr));

        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-bvna").PaNeeded);
    }

    /// <summary>A BVNA order-sign that prefetches the Coverage but not the Patient, so the service reads the Patient from this EHR.</summary>
    private static JsonObject OrderSignWithThePatientLeftToTheEhr(FakeEhr ehr) =>
        new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .Prefetch("coverage", CrdTestData.Searchset(CrdTestData.Coverage("MGB-COMMERCIAL")))
            .FhirServer(ehr.FhirBase, "ehr-token")
            .Build();

    public static TheoryData<string> Hooks() => ["order-sign", "order-select", "order-dispatch", "appointment-book", "encounter-start", "encounter-discharge"];

    [Theory]
    [MemberData(nameof(Hooks))]
    public async Task Hook_OrderForAnotherPatient_Is422(string hook)
    {
        var order = CrdTestData.Order("64628", "sr-bvna", patientId: "pat-2");
        var call = await app.CallAsync($"{hook}-crd", RequestWith(hook, order));

        AssertMismatch(call, "ServiceRequest.subject");
        Assert.Contains("Patient/pat-2", call.Message, StringComparison.Ordinal);
    }

    /// <summary>The same patient named by an absolute or versioned reference is the same patient.</summary>
    [Theory]
    [InlineData("https://ehr.test.example/fhir/Patient/pat-1")]
    [InlineData("Patient/pat-1/_history/3")]
    public async Task OrderSign_OrderNamingThePatientInAnotherForm_IsAnswered(string reference)
    {
        var order = CrdTestData.Order("64628", "sr-bvna");
        order.Subject = new Hl7.Fhir.Model.ResourceReference(reference);

        var call = await app.CallAsync("order-sign-crd", RequestWith("order-sign", order));

        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-bvna").PaNeeded);
    }

    private static JsonObject RequestWith(string hook, Hl7.Fhir.Model.ServiceRequest order)
    {
        var builder = new HookRequestBuilder(hook).Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"));
        var reference = $"ServiceRequest/{order.Id}";
        switch (hook)
        {
            case "order-sign":
            case "order-select":
                builder.DraftOrders(order);
                break;
            case "order-dispatch":
                builder.Context("dispatchedOrders", new JsonArray(reference)).Context("performer", "Practitioner/perf-1")
                    .Prefetch("serviceRequestBundle", CrdTestData.Searchset(order));
                break;
            case "appointment-book":
                builder.Context("appointments", HookRequestBuilder.Fhir(CrdTestData.Collection(CrdTestData.Appointment("apt-1", reference))))
                    .Prefetch("appointmentOrders", CrdTestData.Searchset(order));
                break;
            default:
                builder.Context("encounterId", "enc-1").Prefetch("encounterOrders", CrdTestData.Searchset(order));
                break;
        }

        return builder.Build();
    }
}
