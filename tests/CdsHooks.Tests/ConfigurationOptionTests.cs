using System.Net;
using System.Text.Json.Nodes;
using SpinePolicy.CdsHooks.Tests.Support;

namespace SpinePolicy.CdsHooks.Tests;

/// <summary>CRD 2.0.1 davinci-crd.configuration sent by the client: card types switched off, max-cards.</summary>
public sealed class ConfigurationOptionTests(CrdApp app) : IClassFixture<CrdApp>
{
    /// <summary>A facet injection for a 17-year-old beside an ungoverned order: a PA card, an age rule card (P1), the policy card.</summary>
    private static HookRequestBuilder Busy() => new HookRequestBuilder("order-sign")
        .DraftOrders(CrdTestData.Order("64493", "sr-facet"), CrdTestData.Order("27447", "sr-knee"))
        .Member(CrdTestData.Patient(17), CrdTestData.Coverage("MGB-COMMERCIAL"));

    [Fact]
    public async Task OrderSign_NoConfiguration_ReturnsEveryCardType()
    {
        var call = await app.CallAsync("order-sign-crd", Busy().Build());

        Assert.Equal(["coverage-info", "guideline", "off-guideline"], call.CardTopics.Distinct().Order());
    }

    [Fact]
    public async Task OrderSign_CardTypeSwitchedOff_OmitsThoseCardsButKeepsTheSystemAction()
    {
        var call = await app.CallAsync("order-sign-crd", Busy().Configuration(new JsonObject { ["guideline"] = false, ["coverage-info"] = false }).Build());

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.Equal(["off-guideline"], call.CardTopics.Distinct());
        Assert.Equal("auth-needed", call.CoverageInfoFor("sr-facet").PaNeeded);
    }

    [Fact]
    public async Task OrderSign_MaxCards_KeepsTheMostUrgent()
    {
        var call = await app.CallAsync("order-sign-crd", Busy().Configuration(new JsonObject { ["max-cards"] = 1 }).Build());

        var card = Assert.Single(call.Cards);
        Assert.Equal("warning", card.GetProperty("indicator").GetString());
    }

    [Fact]
    public async Task OrderSign_UnknownOptionFromAnotherPayer_IsIgnored()
    {
        var call = await app.CallAsync("order-sign-crd", Busy().Configuration(new JsonObject { ["alt-drug"] = true }).Build());

        Assert.Equal(HttpStatusCode.OK, call.Status);
        Assert.NotEmpty(call.Cards);
    }

    [Trait("Clause", "P12")]
    [Fact]
    public async Task OrderSign_Cards_HaveUuidSourceTopicAndShortSummary()
    {
        var call = await app.CallAsync("order-sign-crd", Busy().Build());

        Assert.All(call.Cards, c =>
        {
            Assert.True(Guid.TryParse(c.GetProperty("uuid").GetString(), out _));
            Assert.True(c.GetProperty("summary").GetString()!.Length < 140);
            Assert.False(string.IsNullOrWhiteSpace(c.GetProperty("source").GetProperty("label").GetString()));
            Assert.Equal("http://hl7.org/fhir/us/davinci-crd/CodeSystem/temp", c.GetProperty("source").GetProperty("topic").GetProperty("system").GetString());
            Assert.Contains(c.GetProperty("indicator").GetString(), new[] { "info", "warning", "critical" });
        });
        var reference = Assert.Single(call.Cards, c => c.GetProperty("source").GetProperty("topic").GetProperty("code").GetString() == "guideline");
        var link = Assert.Single(reference.GetProperty("links").EnumerateArray());
        Assert.Equal("absolute", link.GetProperty("type").GetString());
        Assert.Equal("https://www.massgeneralbrighamhealthplan.org/providers/medical-policies", link.GetProperty("url").GetString());

        // P12: the card that links the policy says its code list is informational.
        Assert.Contains("does not imply coverage or reimbursement (P12)", reference.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }
}
