using System.Net;
using System.Text.Json.Nodes;
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

    [Fact]
    public async Task OrderSign_UpdateAction_IsTheEhrsOwnJsonWithOnlyOurAnnotationReplaced()
    {
        // The order as an EHR might write it: elements in its own order, another party's extension
        // first, and an earlier annotation of ours for this Coverage that the new one replaces.
        var first = await SignAsync("MGB-COMMERCIAL", CrdTestData.Order("64628", "sr-bvna"));
        var ours = HookRequestBuilder.Fhir(first.UpdatedResource("sr-bvna")).AsObject()["extension"]!.AsArray().Single()!.DeepClone();
        var written = HookRequestBuilder.Fhir(CrdTestData.Order("64628", "sr-bvna")).AsObject();
        var sent = new JsonObject { ["resourceType"] = "ServiceRequest" };
        foreach (var (name, value) in written.Where(p => p.Key != "resourceType").Reverse().ToList())
        {
            sent[name] = value?.DeepClone();
        }

        sent["extension"] = new JsonArray(new JsonObject { ["url"] = "http://ehr.example.org/fhir/StructureDefinition/order-origin", ["valueString"] = "kept" }, ours);
        var body = new HookRequestBuilder("order-sign")
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-MASSHEALTH-ACO"))
            .Context("draftOrders", new JsonObject
            {
                ["resourceType"] = "Bundle",
                ["type"] = "collection",
                ["entry"] = new JsonArray(new JsonObject { ["resource"] = sent.DeepClone() }),
            })
            .Build();

        var call = await app.CallAsync("order-sign-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        var returned = JsonNode.Parse(Assert.Single(call.SystemActions).GetProperty("resource").GetRawText())!.AsObject();
        Assert.Equal(sent.Select(p => p.Key), returned.Select(p => p.Key));
        foreach (var (name, value) in sent.Where(p => p.Key != "extension"))
        {
            Assert.True(JsonNode.DeepEquals(value, returned[name]), $"{name} was rewritten");
        }

        var extensions = returned["extension"]!.AsArray();
        Assert.Equal(2, extensions.Count);
        Assert.Equal("kept", extensions[0]!["valueString"]!.GetValue<string>());
        Assert.Equal("not-covered", call.CoverageInfoFor("sr-bvna").Covered);
        Assert.Single(call.UpdatedResource("sr-bvna").Extension, e => e.Url == CoverageInfo.Url);
    }

    private Task<CrdCall> SignAsync(string plan, params Resource[] orders) =>
        app.CallAsync("order-sign-crd", new HookRequestBuilder("order-sign")
            .DraftOrders(orders)
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage(plan))
            .Build());
}
