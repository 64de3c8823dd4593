using System.Net;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;
using SpinePolicy.TestKit.Storage;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// Two instances on one PostgreSQL database: an update submitted through one while a reviewer
/// decides the earlier request through the other (after the update read it, before it wrote) is a
/// 409 saying the earlier request changed meanwhile; the reviewer's decision stands.
/// </summary>
public sealed class ChangedMeanwhileAcrossInstancesTests(PostgresDatabaseFixture database) : IClassFixture<PostgresDatabaseFixture>
{
    [Fact]
    public async Task Submit_UpdateThroughOneInstanceWhileTheOtherRecordsAReview_409AndTheReviewStands()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = await database.CreateSchemaAsync(),
        };
        var interference = new StoreInterference();
        using var submitting = new PasHost(settings, interference.Install);
        using var reviewing = new PasHost(settings);
        var earlier = new PasRequestBuilder().Line("64628");
        var earlierId = (await submitting.SubmitAsync(earlier.Build())).ClaimResponse.Id!;
        var update = new PasRequestBuilder { PatientId = earlier.PatientId, ReplacesClaimIdentifier = earlier.ClaimIdentifier }.Line("64628", units: 2);
        interference.BeforeNextSave(StoreInterference.ConditionalWriteOf("ClaimResponse"), async () =>
        {
            using var reviewer = reviewing.CreateClient(ReviewerTokens.Mint());
            var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{earlierId}/$review", SubscriptionRequests.Decision(1, "A3", "Criteria not met on review."));
            Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        });

        var answer = await submitting.SubmitAsync(update.Build());

        Assert.Equal(1, interference.Ran);
        ChangedMeanwhileTests.AssertChangedMeanwhile(answer, earlierId);
        var current = await reviewing.InquireAsync(SubmitRecordTests.InquiryFor(earlier));
        Assert.Equal("A3", current.ActionOf(1));
        Assert.Equal("2", current.ClaimResponse.Meta!.VersionId);
        Assert.Equal(HttpStatusCode.NotFound, (await reviewing.InquireAsync(SubmitRecordTests.InquiryFor(update))).Status);
    }
}
