using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.Storage;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>Every coverage assertion CRD returns is persisted, so DTR and PAS can find it by its id.</summary>
public sealed class AssertionStoreTests(CrdApp app) : IClassFixture<CrdApp>
{
    /// <summary>An order a week from today: not on the same day as an undated (today's) BVNA (P8).</summary>
    private static Hl7.Fhir.Model.ServiceRequest NextWeek(Hl7.Fhir.Model.ServiceRequest order)
    {
        order.Occurrence = new Hl7.Fhir.Model.FhirDateTime(DateTime.UtcNow.Date.AddDays(7).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        return order;
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_Assertion_IsReadableThroughTheStoreByItsId()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"), NextWeek(CrdTestData.Order("62325", "sr-catheter")))
            .Member(CrdTestData.Patient(40), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        var store = app.App.Services.GetRequiredService<ICoverageAssertionStore>();
        var bvna = await store.FindAsync(call.CoverageInfoFor("sr-bvna").AssertionId!, CancellationToken.None);
        Assert.NotNull(bvna);
        Assert.Equal("ServiceRequest/sr-bvna", bvna.OrderReference);
        Assert.Equal("Coverage/cov-1", bvna.CoverageReference);
        Assert.Equal("pat-1", bvna.PatientId);
        Assert.Equal("64628", bvna.CptCode);
        Assert.Equal("commercial", bvna.ProductLine);
        Assert.Equal(("covered", "auth-needed"), (bvna.Covered, bvna.PaNeeded));
        Assert.True(bvna.DocumentationNeeded);
        Assert.Equal("https://spinepolicy.example.org/fhir/Questionnaire/bvna-097|2026.01.1", bvna.QuestionnaireCanonical);
        Assert.Equal("https://spinepolicy.example.org/fhir/policy/097|2026.01.0", bvna.PolicyVersion);
        Assert.Equal("order-sign", bvna.Hook);
        Assert.InRange(bvna.AssertedAt, before, DateTimeOffset.UtcNow.AddSeconds(1));

        var catheter = await store.FindAsync(call.CoverageInfoFor("sr-catheter").AssertionId!, CancellationToken.None);
        Assert.Equal(("covered", "no-auth", false), (catheter!.Covered, catheter.PaNeeded, catheter.DocumentationNeeded));
    }

    [Fact]
    public async Task OrderSign_ConditionalAssertion_IsPersistedToo()
    {
        using var ehr = new SpinePolicy.TestKit.Ehr.FakeEhr().FailAll(503);
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64493", "sr-facet"))
            .FhirServer(ehr.FhirBase, "token")
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        var stored = await app.App.Services.GetRequiredService<ICoverageAssertionStore>().FindAsync(call.CoverageInfoFor("sr-facet").AssertionId!, CancellationToken.None);
        Assert.Equal(("conditional", "conditional", null), (stored!.Covered, stored.PaNeeded, stored.CoverageReference));
    }
}
