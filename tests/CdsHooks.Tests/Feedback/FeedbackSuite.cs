using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Tests.Support;
using SpinePolicy.Fhir;
using SpinePolicy.FhirRest.Assertions;
using SpinePolicy.TestKit.Security;
using SpinePolicy.TestKit.Validation;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Tests.Feedback;

/// <summary>
/// CDS Hooks 2.0 feedback on CRD's cards (POST /cds-services/{id}/feedback): stored durably, linked
/// to the coverage assertion the card spoke about, and found by the payer through FHIR
/// (Basic?code=cds-hooks-feedback). Run on SQLite and on PostgreSQL.
/// </summary>
public abstract class FeedbackSuite(FeedbackApp fixture)
{
    private CrdApp App => fixture.Crd;

    [Fact]
    [Trait("Clause", "P3")]
    public async Task Feedback_OverriddenWithReason_StoredAndFoundByTheAssertionId()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();

        var answer = await PostFeedbackAsync("order-sign-crd", Feedback(Overridden(card, "2026-01-31T14:30:00Z", "already-authorized", "PA on file from last week")));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var found = await SearchAsync($"coverage-assertion-id={assertionId}");
        var basic = Assert.Single(found);
        var facts = basic.GetExtension(CardFeedbackBasic.ExtensionUrl)!;
        Assert.Equal("overridden", facts.GetExtensionValue<Code>("outcome").Value);
        Assert.Equal(card, facts.GetExtensionValue<FhirString>("card").Value);
        Assert.Equal("already-authorized", facts.GetExtensionValue<Coding>("overrideReason").Code);
        Assert.Equal("PA on file from last week", facts.GetExtensionValue<FhirString>("userComment").Value);
        Assert.Equal(assertionId, facts.GetExtensionValue<FhirString>("coverage-assertion-id").Value);
        Assert.Equal("2026-01-31T14:30:00+00:00", facts.GetExtensionValue<FhirDateTime>("outcomeTimestamp").Value);
        var valid = FhirProfileValidation.Shared.Validate(basic, "http://hl7.org/fhir/StructureDefinition/Basic");
        Assert.True(valid.Conforms, valid.DescribeErrors());

        // Every entry's fullUrl resolves: the payer reads the entry by its id.
        using var admin = App.App.CreateBackOfficeClient();
        using var read = await admin.GetAsync($"/fhir/Basic/{basic.Id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task Feedback_AcceptedCard_StoredWithItsOutcome()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();

        var answer = await PostFeedbackAsync("order-sign-crd", Feedback(new JsonObject
        {
            ["card"] = card,
            ["outcome"] = "accepted",
            ["acceptedSuggestions"] = new JsonArray(),
            ["outcomeTimestamp"] = "2026-02-01T09:00:00-05:00",
        }));

        Assert.Equal(HttpStatusCode.OK, answer.Status);
        var facts = Assert.Single(await SearchAsync($"coverage-assertion-id={assertionId}")).GetExtension(CardFeedbackBasic.ExtensionUrl)!;
        Assert.Equal("accepted", facts.GetExtensionValue<Code>("outcome").Value);
        Assert.Null(facts.GetExtension("overrideReason"));
    }

    [Fact]
    public async Task Feedback_SentTwice_StoredOnce()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();
        var body = Feedback(Overridden(card, "2026-01-31T15:00:00Z", "patient-declined", null));

        Assert.Equal(HttpStatusCode.OK, (await PostFeedbackAsync("order-sign-crd", body)).Status);
        Assert.Equal(HttpStatusCode.OK, (await PostFeedbackAsync("order-sign-crd", body)).Status);

        Assert.Single(await SearchAsync($"coverage-assertion-id={assertionId}"));
    }

    [Fact]
    public async Task Feedback_OneCardWeNeverIssued_Returns422AndStoresNothing()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();
        var unknown = Guid.NewGuid().ToString();

        var answer = await PostFeedbackAsync("order-sign-crd", Feedback(
            Overridden(card, "2026-01-31T16:00:00Z", "other", null),
            Overridden(unknown, "2026-01-31T16:00:00Z", "other", null)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Equal("unknown-card", answer.Error);
        Assert.Contains("feedback[1].card", answer.Message, StringComparison.Ordinal);
        Assert.Empty(await SearchAsync($"coverage-assertion-id={assertionId}"));
    }

    [Fact]
    public async Task Feedback_CardOfAnotherService_Returns422NamingIt()
    {
        var (card, _) = await PriorAuthorizationCardAsync();

        var answer = await PostFeedbackAsync("order-dispatch-crd", Feedback(Overridden(card, "2026-01-31T16:00:00Z", "other", null)));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.Status);
        Assert.Contains("order-sign-crd", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_UnknownService_Returns404()
    {
        var answer = await PostFeedbackAsync("no-such-service", Feedback(Overridden(Guid.NewGuid().ToString(), "2026-01-31T16:00:00Z", "other", null)));

        Assert.Equal(HttpStatusCode.NotFound, answer.Status);
        Assert.Equal("unknown-service", answer.Error);
    }

    [Theory]
    [InlineData("not json", "invalid-json")]
    [InlineData("""{"cards":[]}""", "'feedback' is required")]
    [InlineData("""{"feedback":[]}""", "'feedback' is empty")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"ignored","outcomeTimestamp":"2026-01-31T16:00:00Z"}]}""", "feedback[0].outcome")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"accepted"}]}""", "feedback[0].outcomeTimestamp")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-01-31T16:00:00"}]}""", "with its zone")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2999-01-31T16:00:00Z"}]}""", "in the future")]
    [InlineData("""{"feedback":[{"outcome":"accepted","outcomeTimestamp":"2026-01-31T16:00:00Z"}]}""", "feedback[0].card")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"accepted","outcomeTimestamp":"2026-01-31T16:00:00Z","overrideReason":{"userComment":"x"}}]}""", "only allowed when the outcome is 'overridden'")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-01-31T16:00:00Z","acceptedSuggestions":[{"id":"s1"}]}]}""", "only allowed when the outcome is 'accepted'")]
    [InlineData("""{"feedback":[{"card":"c1","outcome":"overridden","outcomeTimestamp":"2026-01-31T16:00:00Z","overrideReason":{"reason":{"system":"s"}}}]}""", "reason.code")]
    public async Task Feedback_Malformed_Returns400SayingWhatIsWrong(string body, string expected)
    {
        var answer = await PostRawAsync("order-sign-crd", body, Token("order-sign-crd"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Contains(expected, answer.Error + " " + answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Feedback_WithoutTokenOrWithTheHooksAudience_Returns401()
    {
        var body = Feedback(Overridden(Guid.NewGuid().ToString(), "2026-01-31T16:00:00Z", "other", null)).ToJsonString();

        Assert.Equal(HttpStatusCode.Unauthorized, (await PostRawAsync("order-sign-crd", body, null)).Status);

        // The token names the URL it is for: one minted for the hook itself is not good for its feedback.
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostRawAsync("order-sign-crd", body, TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl("order-sign-crd")))).Status);
    }

    [Fact]
    public async Task Search_ByDateReceived_FindsTodaysAndNotTomorrows()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();
        Assert.Equal(HttpStatusCode.OK, (await PostFeedbackAsync("order-sign-crd", Feedback(Overridden(card, "2026-01-31T17:00:00Z", "other", null)))).Status);
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        Assert.Contains(await SearchAsync($"created=ge{today}&_count=1000"), b => b.GetExtension(CardFeedbackBasic.ExtensionUrl)!.GetExtensionValue<FhirString>("card").Value == card);
        Assert.Empty(await SearchAsync($"created=ge{tomorrow}"));
        Assert.Single(await SearchAsync($"coverage-assertion-id={assertionId}&created=le{today}"));
    }

    [Fact]
    public async Task Search_PagedByCount_WalksEveryEntryOnce()
    {
        var (card, assertionId) = await PriorAuthorizationCardAsync();
        for (var minute = 10; minute < 15; minute++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PostFeedbackAsync("order-sign-crd", Feedback(Overridden(card, $"2026-01-31T18:{minute}:00Z", "other", null)))).Status);
        }

        using var admin = App.App.CreateBackOfficeClient();
        var seen = new List<string>();
        string? next = $"/fhir/Basic?code=cds-hooks-feedback&coverage-assertion-id={assertionId}&_count=2";
        while (next is not null)
        {
            using var response = await admin.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var bundle = FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync());
            seen.AddRange(bundle.Entry.Select(e => e.Resource!.Id!));
            next = bundle.NextLink?.PathAndQuery;
        }

        Assert.Equal(5, seen.Distinct().Count());
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public async Task Search_ByAProvider_Returns403()
    {
        using var provider = App.App.CreateFhirClient("system/Basic.read");

        using var response = await provider.GetAsync("/fhir/Basic?code=cds-hooks-feedback");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    [Fact]
    public async Task Search_ForAnotherKindOfBasic_Returns400Outcome()
    {
        using var admin = App.App.CreateBackOfficeClient();

        using var response = await admin.GetAsync("/fhir/Basic?code=crd-coverage-assertion");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var outcome = FhirJson.Parse<OperationOutcome>(await response.Content.ReadAsStringAsync());
        Assert.Contains("cds-hooks-feedback", outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    /// <summary>Signs a BVNA for a commercial member: the answer carries a "prior authorization required" card about the order's assertion.</summary>
    private async Task<(string Card, string AssertionId)> PriorAuthorizationCardAsync()
    {
        var orderId = "sr-" + Guid.NewGuid().ToString("N")[..8];
        var call = await App.CallAsync("order-sign-crd", new HookRequestBuilder("order-sign")
            .DraftOrders(CrdTestData.Order("64628", orderId))
            .Member(CrdTestData.Patient(50), CrdTestData.Coverage("MGB-COMMERCIAL"))
            .Build());
        Assert.Equal(HttpStatusCode.OK, call.Status);
        var card = call.Cards.First(c => c.GetProperty("summary").GetString()!.StartsWith("Prior authorization required", StringComparison.Ordinal));
        return (card.GetProperty("uuid").GetString()!, call.CoverageInfoFor(orderId).AssertionId!);
    }

    private async Task<List<Basic>> SearchAsync(string query)
    {
        using var admin = App.App.CreateBackOfficeClient();
        using var response = await admin.GetAsync($"/fhir/Basic?code=cds-hooks-feedback&{query}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var bundle = FhirJson.Parse<Bundle>(await response.Content.ReadAsStringAsync());
        return bundle.Entry.Select(e => (Basic)e.Resource!).ToList();
    }

    private static JsonObject Feedback(params JsonObject[] entries) => new() { ["feedback"] = new JsonArray([.. entries]) };

    private static JsonObject Overridden(string card, string at, string reasonCode, string? comment)
    {
        var reason = new JsonObject
        {
            ["reason"] = new JsonObject { ["code"] = reasonCode, ["system"] = "https://ehr.example.org/override-reasons", ["display"] = reasonCode },
        };
        if (comment is not null)
        {
            reason["userComment"] = comment;
        }

        return new JsonObject { ["card"] = card, ["outcome"] = "overridden", ["overrideReason"] = reason, ["outcomeTimestamp"] = at };
    }

    private static string Token(string serviceId) => TestTokens.MintCdsHooksToken(CrdApp.ServiceUrl(serviceId + "/feedback"));

    private Task<CrdCall> PostFeedbackAsync(string serviceId, JsonObject body) => PostRawAsync(serviceId, body.ToJsonString(), Token(serviceId));

    private async Task<CrdCall> PostRawAsync(string serviceId, string body, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/cds-services/{serviceId}/feedback")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await App.Client.SendAsync(request);
        return await CrdCall.ReadAsync(response);
    }
}
