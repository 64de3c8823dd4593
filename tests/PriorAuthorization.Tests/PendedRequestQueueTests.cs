using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// The reviewer's work queue, listed from stored decisions of requests sent through $submit. The
/// tests share one server; each asserts only on the requests it submitted itself.
/// </summary>
public sealed class PendedRequestQueueTests(PendedQueueHostFixture fixture) : IClassFixture<PendedQueueHostFixture>
{
    private readonly PasHost _host = fixture.Host;

    [Fact]
    [Trait("Clause", "P6")]
    public async Task Queue_PendedAndDecidedRequests_ListsOnlyPendedSortedByDueTime()
    {
        var standard = await SubmitPendedAsync("MGB-COMMERCIAL", "normal");
        var urgent = await SubmitPendedAsync("MGB-COMMERCIAL", "stat");
        var approved = new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna")));
        Assert.Equal("A1", (await _host.SubmitAsync(approved.Build())).ActionOf(1));

        var queue = await ListAsync(null);

        var mine = queue.Where(r => r.ClaimIdentifier == standard || r.ClaimIdentifier == urgent || r.ClaimIdentifier == approved.ClaimIdentifier).ToList();
        Assert.Equal([urgent, standard], mine.Select(r => r.ClaimIdentifier));
        var first = mine[0];
        Assert.Equal(RequestUrgency.Urgent, first.Urgency);
        Assert.Equal(TimeSpan.FromHours(72), first.DueBy - first.Received);
        Assert.Equal(TimeSpan.FromDays(7), mine[1].DueBy - mine[1].Received);
        Assert.Equal("Alex Testmember", first.MemberName);
        Assert.Equal(["64628"], first.PendedCodes);
        Assert.Equal("commercial", first.ProductLine);
        Assert.Contains("P6", first.Clauses);
        Assert.False(first.IsOverdue(first.Received));
        Assert.True(first.IsOverdue(first.DueBy.AddSeconds(1)));
    }

    [Fact]
    public async Task Queue_FilteredByProductLine_ListsOnlyThatLine()
    {
        var commercial = await SubmitPendedAsync("MGB-COMMERCIAL", "normal");
        var medicare = await SubmitPendedAsync("MGB-MEDICARE-ADVANTAGE", "normal");

        var queue = await ListAsync("medicare-advantage");

        Assert.Contains(queue, r => r.ClaimIdentifier == medicare);
        Assert.DoesNotContain(queue, r => r.ClaimIdentifier == commercial);
        Assert.All(queue, r => Assert.Equal("medicare-advantage", r.ProductLine));
    }

    [Fact]
    public async Task Queue_RequestDecidedOnReview_LeavesTheQueue()
    {
        var claimIdentifier = await SubmitPendedAsync("MGB-COMMERCIAL", "normal");
        var listed = Assert.Single(await ListAsync(null), r => r.ClaimIdentifier == claimIdentifier);

        using (var scope = _host.Services.CreateScope())
        {
            var review = scope.ServiceProvider.GetRequiredService<ReviewService>();
            await review.ReviewAsync(listed.RecordId, [new ReviewDecision(1, Response.ReviewAction.Certified, "Meets criteria on review.", null)], "reviewer-1", "https://payer.test/fhir", CancellationToken.None);
        }

        Assert.DoesNotContain(await ListAsync(null), r => r.ClaimIdentifier == claimIdentifier);
    }

    private async Task<string> SubmitPendedAsync(string plan, string priority)
    {
        // BVNA without six months of failed conservative care: P6 sends it to clinical review.
        var request = new PasRequestBuilder { Plan = plan, Priority = priority }
            .Line("64628")
            .WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)));
        var submitted = await _host.SubmitAsync(request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        return request.ClaimIdentifier;
    }

    private async Task<IReadOnlyList<PendedRequest>> ListAsync(string? productLine)
    {
        using var scope = _host.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<PendedRequestQueue>().ListAsync(productLine, CancellationToken.None);
    }
}

/// <summary>One server for the queue tests, with the deadlines configured (3 days written the long way).</summary>
public sealed class PendedQueueHostFixture : IDisposable
{
    public PasHost Host { get; } = new(new Dictionary<string, string?>
    {
        ["Pas:DecisionDeadlines:Urgent"] = "3.00:00:00",
        ["Pas:DecisionDeadlines:Standard"] = "7.00:00:00",
    });

    public void Dispose() => Host.Dispose();
}
