using System.Net;
using System.Text;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// Two instances on one PostgreSQL database and two reviewers deciding the same pended item, one
/// through each: one decision is recorded, and the other reviewer is told of the conflict (409, or
/// 412 for a stale If-Match), whether the two decisions overlapped or came one after the other.
/// </summary>
public sealed class ReviewAcrossInstancesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    private async Task<Dictionary<string, string?>> SettingsAsync() => new()
    {
        ["Storage:Provider"] = "Postgres",
        ["Storage:Postgres:ConnectionString"] = await database.CreateSchemaAsync(),
    };

    [Fact]
    public async Task Review_SameItemAtOnceThroughBothInstances_OneRecordedTheOther409()
    {
        var settings = await SettingsAsync();
        using var first = new PasHost(settings);
        using var second = new PasHost(settings);
        for (var round = 0; round < 5; round++)
        {
            var id = (await first.SubmitAsync(new PasRequestBuilder().Line("64628").Build())).ClaimResponse.Id!;

            var answers = await System.Threading.Tasks.Task.WhenAll(
                ReviewAsync(first, id, SubscriptionRequests.Decision(1, "A1", "Criteria met on review.")),
                ReviewAsync(second, id, SubscriptionRequests.Decision(1, "A3", "Criteria not met on review.")));

            var winner = Assert.Single(answers, a => a.Status == HttpStatusCode.OK);
            var loser = Assert.Single(answers, a => a.Status != HttpStatusCode.OK);
            Assert.Equal(HttpStatusCode.Conflict, loser.Status);
            Assert.Equal(OperationOutcome.IssueType.Conflict, Assert.Single(loser.Outcome.Issue).Code);
            var current = await ReadAsync(second, id);
            Assert.Equal("2", current.Meta!.VersionId);
            Assert.Equal(winner.ActionOf(1), ClaimResponseItems.ActionOf(current.Item[0])?.X12().Code);
        }
    }

    [Fact]
    public async Task Review_ItemDecidedThroughOneInstance_LaterDecisionThroughTheOther409()
    {
        var settings = await SettingsAsync();
        using var first = new PasHost(settings);
        using var second = new PasHost(settings);
        var id = (await first.SubmitAsync(new PasRequestBuilder().Line("64628").Build())).ClaimResponse.Id!;
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(first, id, SubscriptionRequests.Decision(1, "A1", "Criteria met on review."))).Status);

        var late = await ReviewAsync(second, id, SubscriptionRequests.Decision(1, "A3", "Criteria not met on review."));

        Assert.Equal(HttpStatusCode.Conflict, late.Status);
        Assert.Contains("already decided", Assert.Single(late.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Equal("2", (await ReadAsync(first, id)).Meta!.VersionId);
    }

    [Fact]
    public async Task Review_IfMatchOfTheVersionReadBeforeTheOtherInstanceDecided_412()
    {
        var settings = await SettingsAsync();
        using var first = new PasHost(settings);
        using var second = new PasHost(settings);
        var id = (await first.SubmitAsync(new PasRequestBuilder().Line("64628").Build())).ClaimResponse.Id!;
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(first, id, SubscriptionRequests.Decision(1, "A1", "Criteria met on review."), ifMatch: "W/\"1\"")).Status);

        var stale = await ReviewAsync(second, id, SubscriptionRequests.Decision(1, "A3", "Criteria not met on review."), ifMatch: "W/\"1\"");

        Assert.Equal(HttpStatusCode.PreconditionFailed, stale.Status);
        Assert.Contains("version 2", Assert.Single(stale.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
        Assert.Equal("2", (await ReadAsync(second, id)).Meta!.VersionId);
    }

    private static async Task<FhirAnswer> ReviewAsync(PasHost host, string id, Parameters decision, string? ifMatch = null)
    {
        using var client = host.CreateClient(ReviewerTokens.Mint());
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"/fhir/ClaimResponse/{id}/$review", UriKind.Relative))
        {
            Content = new StringContent(FhirJson.Serialize(decision), Encoding.UTF8, "application/fhir+json"),
        };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        using var response = await client.SendAsync(request);
        return await FhirAnswer.ReadAsync(response);
    }

    private static async Task<ClaimResponse> ReadAsync(PasHost host, string id)
    {
        using var response = await host.Client.GetAsync(new Uri($"/fhir/ClaimResponse/{id}", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return FhirJson.Parse<ClaimResponse>(await response.Content.ReadAsStringAsync());
    }
}
