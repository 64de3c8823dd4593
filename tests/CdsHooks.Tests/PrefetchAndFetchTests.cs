using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Ehr;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>Prefetch first; else the EHR's FHIR server with its token, within the deadline; else 412 or conditional.</summary>
public sealed class PrefetchAndFetchTests(CrdApp app) : IClassFixture<CrdApp>
{
    private const string EhrToken = "ehr-issued-access-token-for-crd";

    private static Dictionary<string, string> CoverageSearch => new() { ["patient"] = CrdTestData.PatientId, ["status"] = "active" };

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_PrefetchMissing_FetchesFromEhrWithItsBearerToken()
    {
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40))
            .ServeSearch("Coverage", CoverageSearch, [CrdTestData.Coverage("MGB-COMMERCIAL")]);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var info = call.CoverageInfoFor("sr-facet");
        Assert.Equal(("covered", "auth-needed"), (info.Covered, info.PaNeeded));
        Assert.Equal("Coverage/cov-1", info.Coverage);
        Assert.Contains("/fhir/Patient/pat-1", ehr.RequestedPaths);
        Assert.Contains("/fhir/Coverage", ehr.RequestedPaths);
        Assert.All(ehr.FhirAuthorizationHeaders, h => Assert.Equal($"Bearer {EhrToken}", h));
        Assert.Equal(2, ehr.FhirAuthorizationHeaders.Count);
    }

    [Fact]
    [Trait("Clause", "P6")]
    public async Task OrderSign_PatientFetchedFromEhr_AgeRulesApply()
    {
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Patient(24))
            .ServeSearch("Coverage", CoverageSearch, [CrdTestData.Coverage("MGB-COMMERCIAL")]);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Contains(call.CardSummaries, s => s.Contains("(P6)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrderSign_EhrTooSlow_AnswersConditionalWithinTheDeadline()
    {
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40))
            .ServeSearch("Coverage", CoverageSearch, [CrdTestData.Coverage("MGB-COMMERCIAL")], delay: TimeSpan.FromSeconds(6));
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var clock = Stopwatch.StartNew();
        var call = await app.CallAsync("order-sign-crd", body);
        clock.Stop();

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
        AssertConditionalForMissingCoverage(call.CoverageInfoFor("sr-facet"));
        Assert.Contains("did not answer in time", call.CoverageInfoFor("sr-facet").Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_EhrAnswers500_AnswersConditional()
    {
        using var ehr = new FakeEhr().FailAll(500);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var info = call.CoverageInfoFor("sr-facet");
        AssertConditionalForMissingCoverage(info);
        Assert.Contains("HTTP 500", info.Reason, StringComparison.Ordinal);
        Assert.Contains(call.Cards, c => c.GetProperty("summary").GetString()!.Contains("could not be determined", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OrderSign_EhrHasNoActiveCoverage_AnswersConditional()
    {
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Patient(40))
            .ServeSearch("Coverage", CoverageSearch, []);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        AssertConditionalForMissingCoverage(call.CoverageInfoFor("sr-facet"));
    }

    [Fact]
    public async Task OrderSign_PrefetchMissingAndNoFhirServer_Returns412()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.PreconditionFailed, call.Status);
        Assert.Equal("prefetch-missing", call.Error);
        Assert.Contains("fhirServer", call.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OrderSign_PrefetchValueNullAndNoFhirServer_Returns412()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Prefetch("patient", CrdTestData.Patient(40))
            .Prefetch("coverage", null)
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.PreconditionFailed, call.Status);
    }

    [Fact]
    public async Task OrderSign_OrderNotGovernedAndCoverageNeitherPrefetchedNorFetchable_Is412LikeAGovernedOne()
    {
        // Every order gets coverage-information, which names the member's Coverage: without prefetch
        // and without fhirServer there is none to name, whichever policy governs the order.
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("27447", "sr-knee"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.PreconditionFailed, call.Status);
        Assert.Equal("prefetch-missing", call.Error);
    }

    [Fact]
    public async Task OrderSign_TwoActiveCoverages_Returns422WithOperationOutcome()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL", "cov-1"), CrdTestData.Coverage("MGB-QHP", "cov-2"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("multiple-coverages", call.Error);
        Assert.Equal(OperationOutcome.IssueSeverity.Error, Assert.Single(call.Outcome!.Issue).Severity);
    }

    /// <summary>A member insured by us and by another payer: the EHR's search finds both, and we answer for ours.</summary>
    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_OurCoverageBesideAnotherPayers_AnswersForOurs()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL", "cov-other", payor: "Organization/other-payer"), CrdTestData.Coverage("MGB-COMMERCIAL", "cov-ours"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.True(call.Status == HttpStatusCode.OK, call.ToString());
        var info = call.CoverageInfoFor("sr-facet");
        Assert.Equal(("covered", "auth-needed", "Coverage/cov-ours"), (info.Covered, info.PaNeeded, info.Coverage));
    }

    [Fact]
    public async Task OrderSign_CoverageOfAnotherPayer_Returns422()
    {
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL", payor: "Organization/other-payer"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, call.Status);
        Assert.Equal("foreign-coverage", call.Error);
        Assert.NotNull(call.Outcome);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderDispatch_DispatchedOrdersFetchedFromEhr_AnnotatesThem()
    {
        using var ehr = new FakeEhr().ServeRead(CrdTestData.Order("64628", "sr-bvna"));
        app.AllowFhirServer(ehr.FhirBase);
        var call = await app.CallAsync("order-dispatch-crd", DispatchOfBvnaLeftToTheEhr(ehr));

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-bvna").PaNeeded);
        Assert.Equal($"Bearer {EhrToken}", Assert.Single(ehr.FhirAuthorizationHeaders));
    }

    /// <summary>
    /// CDS Hooks 2.0: 412 when the service cannot get the data it needs, by prefetch or from the FHIR
    /// server. The dispatched order itself unreadable (the EHR failing, or having no such order) left
    /// nothing to annotate, and the hook used to answer an empty 200.
    /// </summary>
    [Theory]
    [InlineData(500, "answered HTTP 500 for the ServiceRequest (ServiceRequest/sr-bvna)")]
    [InlineData(404, "has no ServiceRequest (ServiceRequest/sr-bvna)")]
    public async Task OrderDispatch_DispatchedOrderUnreadable_Returns412SayingWhy(int ehrStatus, string why)
    {
        using var ehr = new FakeEhr().FailAll(ehrStatus);
        app.AllowFhirServer(ehr.FhirBase);
        var call = await app.CallAsync("order-dispatch-crd", DispatchOfBvnaLeftToTheEhr(ehr));

        Assert.True(call.Status == HttpStatusCode.PreconditionFailed, call.ToString());
        Assert.Equal("prefetch-missing", call.Error);
        Assert.Contains(why, call.Message, StringComparison.Ordinal);
    }

    /// <summary>An order-dispatch of ServiceRequest/sr-bvna, not prefetched: the service reads it from this EHR.</summary>
    private static JsonObject DispatchOfBvnaLeftToTheEhr(FakeEhr ehr) =>
        new HookRequestBuilder("order-dispatch")
            .Context("dispatchedOrders", new JsonArray("ServiceRequest/sr-bvna"))
            .Context("performer", "Practitioner/perf-1")
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-ONECARE"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderDispatch_LegacyOrderAndTaskFromPrefetch_AnnotatesTheOrder()
    {
        var task = new Hl7.Fhir.Model.Task
        {
            Id = "task-1",
            Status = Hl7.Fhir.Model.Task.TaskStatus.Requested,
            Intent = Hl7.Fhir.Model.Task.TaskIntent.Order,
            Focus = new ResourceReference("ServiceRequest/sr-esi"),
        };
        var body = new HookRequestBuilder("order-dispatch")
            .Context("order", "ServiceRequest/sr-esi")
            .Context("performer", "Practitioner/perf-1")
            .Context("task", HookRequestBuilder.Fhir(task))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-MEDICARE-ADVANTAGE"))
            .Prefetch("serviceRequestBundle", CrdTestData.Searchset(CrdTestData.Order("62323", "sr-esi")))
            .Build();

        var call = await app.CallAsync("order-dispatch-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(("covered", "no-auth"), (call.CoverageInfoFor("sr-esi").Covered, call.CoverageInfoFor("sr-esi").PaNeeded));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task AppointmentBook_AppointmentBasedOnGovernedOrder_AnnotatesTheAppointment()
    {
        using var ehr = new FakeEhr().ServeRead(CrdTestData.Order("64493", "sr-facet"));
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", HookRequestBuilder.Fhir(CrdTestData.Collection(
                CrdTestData.Appointment("apt-1", "ServiceRequest/sr-facet"),
                CrdTestData.Appointment("apt-2"))))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-QHP"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.All(call.UpdatedResources, r => Assert.IsType<Appointment>(r));
        Assert.Equal("auth-needed", call.CoverageInfoFor("apt-1").PaNeeded);
        Assert.Equal("64493", call.CoverageInfoFor("apt-1").BillingCode);

        // The appointment based on no order: the payer's default, no billing code to name.
        var unbased = call.CoverageInfoFor("apt-2");
        Assert.Equal(("no-auth", null), (unbased.PaNeeded, unbased.BillingCode));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task EncounterStart_EncounterOrdersPrefetched_AnnotatesGovernedOrders()
    {
        var body = new HookRequestBuilder("encounter-start")
            .Context("encounterId", "enc-1")
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-SCO"))
            .Prefetch("encounterOrders", CrdTestData.Searchset(CrdTestData.Order("64628", "sr-bvna"), CrdTestData.Order("27447", "sr-knee")))
            .Build();

        var call = await app.CallAsync("encounter-start-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("sr-bvna", Assert.Single(call.UpdatedResources).Id);
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task EncounterDischarge_EncounterOrdersFetchedFromEhr_AnnotatesGovernedOrders()
    {
        using var ehr = new FakeEhr().ServeSearch("ServiceRequest", new Dictionary<string, string> { ["encounter"] = "enc-2" }, [CrdTestData.Order("64479", "sr-tf")]);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("encounter-discharge")
            .Context("encounterId", "enc-2")
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-MASSHEALTH-ACO"))
            .FhirServer(ehr.FhirBase, EhrToken)
            .Build();

        var call = await app.CallAsync("encounter-discharge-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-tf").PaNeeded);
        Assert.Equal($"Bearer {EhrToken}", Assert.Single(ehr.FhirAuthorizationHeaders));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSelect_OnlySelectedOrdersAreAnnotated_WithDraftsAsTheOrderSet()
    {
        var body = new HookRequestBuilder("order-select")
            .DraftOrders(CrdTestData.Order("64483", "sr-primary"), CrdTestData.Order("64484", "sr-addon"))
            .Context("selections", new JsonArray("ServiceRequest/sr-addon"))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-select-crd", body);

        Assert.Equal("sr-addon", Assert.Single(call.UpdatedResources).Id);
        Assert.DoesNotContain(call.CardSummaries, s => s.Contains("(P2)", StringComparison.Ordinal));
    }

    private static void AssertConditionalForMissingCoverage(CoverageInfo info)
    {
        Assert.Equal(("conditional", "conditional"), (info.Covered, info.PaNeeded));
        Assert.Equal(["OTH"], info.InfoNeeded);
        Assert.Null(info.Questionnaire);
        Assert.Contains("Coverage could not be determined", info.Reason, StringComparison.Ordinal);
    }
}
