using System.Net;
using System.Text.Json;
using Hl7.Fhir.FhirPath;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// What CRD emits validates against the HL7 CRD 2.0.1 package with the Firely validator: the
/// annotated ServiceRequest and Appointment (with ext-coverage-information and its invariants
/// crd-ci-q1…q5) and, against the logical model, the discovery document's configuration options.
/// </summary>
public sealed class ValidationTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string ServiceRequestProfile = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-servicerequest";
    private const string AppointmentProfile = "http://hl7.org/fhir/us/davinci-crd/StructureDefinition/profile-appointment";

    /// <summary>crd-ci-q2 exactly as published in ext-coverage-information (CRD 2.0.1).</summary>
    private const string CrdCiQ2 = "extension.where(url = 'covered' and value != 'not-covered') implies extension.where(url = 'pa-needed').exists()";

    public static TheoryData<string, string> Cases() => new()
    {
        { "MGB-COMMERCIAL", "64628" },       // covered, auth-needed, clinical doc, questionnaire
        { "MGB-COMMERCIAL", "62325" },       // covered, no-auth
        { "MGB-MASSHEALTH-ACO", "64628" },   // not-covered, no pa-needed
        { "MGB-COMMERCIAL", "64484" },       // add-on without its primary: not-covered (PAS denies it, P2), no pa-needed
        { "UNMAPPED-PLAN", "64493" },        // conditional, doc conditional
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task OrderSign_AnnotatedServiceRequest_ConformsToCrdProfile(string plan, string cpt)
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order(cpt, "sr-1"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage(plan))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var updated = Assert.IsType<ServiceRequest>(Assert.Single(call.UpdatedResources));
        var info = Assert.Single(CoverageInfo.Read(updated));

        // The profile's Coverage-Information slice holds the extension to ext-coverage-information and its invariants.
        var result = FhirProfileValidation.Shared.Validate(updated, ServiceRequestProfile);
        if (info.Covered != "not-covered")
        {
            Assert.True(result.Conforms, result.DescribeErrors());
            return;
        }

        // crd-ci-q2 reads "if covered is 'not-covered', pa-needed should not exist" and our not-covered
        // answer has none. Firely's validator still flags it, while Firely's FHIRPath engine evaluates the
        // very same published expression on the very same extension to true: a validator discrepancy,
        // excused here for that one constraint only, and proved below.
        Assert.All(result.Errors, e => Assert.Contains("crd-ci-q2", e.Text, StringComparison.Ordinal));
        Assert.Null(info.PaNeeded);
        Assert.True(info.Extension.Predicate(CrdCiQ2), "crd-ci-q2 does not hold");
    }

    [Fact]
    public async Task OrderSign_ConditionalAnswerForMissingCoverage_ConformsToCrdProfile()
    {
        using var ehr = new SpinePolicy.TestKit.Ehr.FakeEhr().FailAll(500);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-1"))
            .FhirServer(ehr.FhirBase, "token")
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        FhirProfileValidation.Shared.AssertConforms(Assert.Single(call.UpdatedResources), ServiceRequestProfile);
    }

    [Fact]
    public async Task OrderSign_CoverageNotInForceOnTheDateOfService_ConformsToCrdProfile()
    {
        var coverage = CrdTestData.Coverage("MGB-COMMERCIAL");
        coverage.Period = new Period(new FhirDateTime("2020-01-01"), new FhirDateTime("2020-12-31"));
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-1"))
            .Member(CrdTestData.Patient(40), coverage)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        var updated = Assert.Single(call.UpdatedResources);
        Assert.Equal("conditional", Assert.Single(CoverageInfo.Read(updated)).Covered);
        FhirProfileValidation.Shared.AssertConforms(updated, ServiceRequestProfile);
    }

    [Fact]
    public async Task AppointmentBook_AnnotatedAppointment_ConformsToCrdProfile()
    {
        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", HookRequestBuilder.Fhir(CrdTestData.Collection(CrdTestData.Appointment("apt-1", "ServiceRequest/sr-1"))))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Prefetch("appointmentOrders", CrdTestData.Searchset(CrdTestData.Order("64493", "sr-1")))
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        var updated = Assert.IsType<Appointment>(Assert.Single(call.UpdatedResources));
        Assert.Equal("auth-needed", Assert.Single(CoverageInfo.Read(updated)).PaNeeded);

        // CRD 2.0.1 is inconsistent here: profile-appointment slices ext-coverage-information onto
        // Appointment.extension, but the extension's own context list omits Appointment. We follow the
        // Appointment profile (and the brief); the context error is the only one allowed.
        var result = FhirProfileValidation.Shared.Validate(updated, AppointmentProfile);
        Assert.All(result.Errors, e => Assert.Equal("1028", e.FirelyIssueNumber));
        Assert.All(result.Errors, e => Assert.Contains("outside of appropriate contexts", e.Text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Discovery_ConfigurationOptions_MatchTheCrdLogicalModel()
    {
        using var response = await app.Client.GetAsync("/cds-services");
        var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;

        // Card-type codes must come from the CRD temp CodeSystem's _cardType concepts (ValueSet cardType, required).
        var codeSystem = (CodeSystem)FhirProfileValidation.Shared.TryResolveProfile("http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp")!;
        var cardTypes = codeSystem.Concept.Single(c => c.Code == "_cardType").Concept.Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
        var model = Assert.IsType<StructureDefinition>(FhirProfileValidation.Shared.TryResolveProfile("http://hl7.org/fhir/us/davinci-crd/StructureDefinition/CDSHookServicesExtensionConfiguration"));
        var required = model.Differential!.Element.Where(e => e.Min == 1).Select(e => e.Path!.Split('.').Last()).ToList();
        Assert.Equal(["code", "type", "name", "description"], required);

        foreach (var service in document.GetProperty("services").EnumerateArray())
        {
            foreach (var option in service.GetProperty("extension").GetProperty("davinci-crd.configuration-options").EnumerateArray())
            {
                Assert.All(required, field => Assert.Equal(JsonValueKind.String, option.GetProperty(field).ValueKind));
                var code = option.GetProperty("code").GetString()!;
                Assert.True(cardTypes.Contains(code) || code == "max-cards", $"{code} is not a CRD card type");
            }
        }
    }
}
