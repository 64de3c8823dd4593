using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.TestKit.Ehr;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// CRD 2.0.1 on the coverage-information a resource carries: one coverage-assertion-id per resource
/// and Coverage however many orders are behind it, and no update when the answer is what the
/// resource already says.
/// </summary>
public sealed class CoverageAnnotationTests(UnhurriedCrdApp app) : IClassFixture<UnhurriedCrdApp>
{
    [Fact]
    [Trait("Clause", "P7.15")]
    public async Task AppointmentBook_AppointmentBasedOnBvnaAndItsAddOn_OneAssertionIdForBothRepetitions()
    {
        using var ehr = new FakeEhr()
            .ServeRead(CrdTestData.Order("64628", "sr-bvna"))
            .ServeRead(CrdTestData.Order("64629", "sr-bvna-addon"));
        app.AllowFhirServer(ehr.FhirBase);
        var body = new HookRequestBuilder("appointment-book")
            .Context("appointments", HookRequestBuilder.Fhir(CrdTestData.Collection(
                CrdTestData.Appointment("apt-bvna", "ServiceRequest/sr-bvna", "ServiceRequest/sr-bvna-addon"))))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .FhirServer(ehr.FhirBase, "ehr-token")
            .Build();

        var call = await app.CallAsync("appointment-book-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var repetitions = CoverageInfo.Read(call.UpdatedResource("apt-bvna"));
        Assert.Equal(["64628", "64629"], repetitions.Select(r => r.BillingCode).Order());
        var id = Assert.Single(repetitions.Select(r => r.AssertionId).Distinct());
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_OwnAnnotatedOrderResent_NoUpdateAndTheSameAssertion()
    {
        var first = await SignAsync("MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));
        var annotated = first.UpdatedResource("sr-bvna");
        var id = first.CoverageInfoFor("sr-bvna").AssertionId;

        var again = await SignAsync("MGB-COMMERCIAL", annotated);

        Assert.Equal(HttpStatusCode.OK, again.Status);
        Assert.Empty(again.SystemActions);
        Assert.NotEmpty(again.Cards);
        Assert.False(string.IsNullOrEmpty(id));
    }

    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSign_AnnotatedOrderResentForAnotherPlan_UpdatedWithANewAssertion()
    {
        var first = await SignAsync("MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));
        var annotated = first.UpdatedResource("sr-bvna");

        // P10: BVNA is not payable for MassHealth ACO members: the answer changed, so it is sent.
        var again = await SignAsync("MGB-MASSHEALTH-ACO", annotated);

        var info = again.CoverageInfoFor("sr-bvna");
        Assert.Equal("not-covered", info.Covered);
        Assert.NotEqual(first.CoverageInfoFor("sr-bvna").AssertionId, info.AssertionId);
    }

    [Fact]
    public async Task OrderSign_AnnotationWithAnIdThisPayerNeverIssued_IsReplaced()
    {
        var first = await SignAsync("MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));
        var annotated = first.UpdatedResource("sr-bvna");
        annotated.Extension.Single(e => e.Url == CoverageInfo.Url).SetStringExtension("coverage-assertion-id", "forged-id");

        var again = await SignAsync("MGB-COMMERCIAL", annotated);

        Assert.NotEqual("forged-id", again.CoverageInfoFor("sr-bvna").AssertionId);
    }

    private Task<CrdCall> SignAsync(string plan, params Resource[] orders) =>
        app.CallAsync("order-sign-crd", new HookRequestBuilder("order-sign")
            .DraftOrders(orders)
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage(plan))
            .Build());
}
