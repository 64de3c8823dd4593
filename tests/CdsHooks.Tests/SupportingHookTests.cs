using System.Net;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>
/// CRD 2.0.1: the supporting hooks (order-select, encounter-start, encounter-discharge) say what
/// coverage and prior authorization apply but SHALL NOT ask for documentation: that is order-sign's.
/// </summary>
public sealed class SupportingHookTests(CrdApp app) : IClassFixture<CrdApp>
{
    [Fact]
    [Trait("Clause", "P3")]
    public async Task OrderSelect_BvnaNeedingAuthorization_SaysSoButAsksForNoDocumentation()
    {
        var body = new HookRequestBuilder("order-select")
            .DraftOrders(CrdTestData.Order("64628", "sr-bvna"))
            .Context("selections", new JsonArray("ServiceRequest/sr-bvna"))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-select-crd", body);

        AssertNoDocumentationAsked(call, "sr-bvna");
    }

    [Theory]
    [Trait("Clause", "P3")]
    [InlineData("encounter-start")]
    [InlineData("encounter-discharge")]
    public async Task EncounterHook_BvnaNeedingAuthorization_SaysSoButAsksForNoDocumentation(string hook)
    {
        var body = new HookRequestBuilder(hook)
            .Context("encounterId", "enc-1")
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Prefetch("encounterOrders", CrdTestData.Searchset(CrdTestData.Order("64628", "sr-bvna")))
            .Build();

        var call = await app.CallAsync($"{hook}-crd", body);

        AssertNoDocumentationAsked(call, "sr-bvna");
    }

    [Fact]
    public async Task OrderSelect_OrderNotGoverned_IsNotAnnotated()
    {
        // Only the primary hooks answer every order; a supporting hook speaks of governed ones only.
        var body = new HookRequestBuilder("order-select")
            .DraftOrders(CrdTestData.Order("27447", "sr-knee"))
            .Context("selections", new JsonArray("ServiceRequest/sr-knee"))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build();

        var call = await app.CallAsync("order-select-crd", body);

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Empty(call.SystemActions);
    }

    private static void AssertNoDocumentationAsked(CrdCall call, string orderId)
    {
        Assert.Equal(HttpStatusCode.OK, call.Status);
        var info = call.CoverageInfoFor(orderId);
        Assert.Equal("auth-needed", info.PaNeeded);
        Assert.Null(info.DocNeeded);
        Assert.Empty(info.DocPurpose);
        Assert.Null(info.Questionnaire);
        Assert.Contains(call.CardSummaries, s => s.Contains("Prior authorization required", StringComparison.Ordinal));
        Assert.DoesNotContain(call.Cards, c => c.GetRawText().Contains("Complete the documentation", StringComparison.Ordinal));
    }
}
