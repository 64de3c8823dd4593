using System.Net;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// P7.16 (repeat BVNA on a treated vertebra) counts a BVNA this payer certified through a
/// reviewer's $review exactly as one certified by $submit: the member's history is the payer's own
/// decisions, whatever path they came by (issue #12). A reviewer's denial is not prior treatment.
/// </summary>
public sealed class PriorTreatmentThroughReviewTests : IDisposable
{
    private readonly PasHost _host = new();

    public void Dispose() => _host.Dispose();

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Submit_BvnaOnALevelAReviewerCertified_IsDeniedNamingTheCertifiedRequest()
    {
        var member = $"member-{Guid.NewGuid():N}"[..20];
        var pendedId = await PendAndReviewAsync(member, "A1", "Conservative care documented on clinical review; meets the InterQual subset.");

        var repeat = await SubmitBvnaAsync(member, "2026-09-01", "L5", "S1");

        Assert.Equal("A3", repeat.ActionOf(1));
        var notes = repeat.NotesOf(1);
        Assert.Contains("P7.16", notes, StringComparison.Ordinal);
        Assert.Contains($"L5 in certified request {pendedId}", notes, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Submit_HistoryReadWhileTheRequestWasPended_StillSeesTheReviewersCertification()
    {
        // The server keeps each request it has read as history by ClaimResponse version: a review
        // writes a new version, so the pended reading must not outlive it.
        var member = $"member-{Guid.NewGuid():N}"[..20];
        var pended = await _host.SubmitAsync(new PasRequestBuilder { PatientId = member, ServiceDate = "2026-03-02" }
            .Line("64628")
            .WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)))
            .Build());
        Assert.Equal("A4", pended.ActionOf(1));
        var whilePended = await SubmitBvnaAsync(member, "2026-05-04", "L5", "S1");
        Assert.Equal("A1", whilePended.ActionOf(1));

        using var reviewer = _host.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{pended.ClaimResponse.Id}/$review", SubscriptionRequests.Decision(1, "A1", "Conservative care documented on clinical review."));
        Assert.True(reviewed.Status == HttpStatusCode.OK, reviewed.Body);

        var repeat = await SubmitBvnaAsync(member, "2026-09-01", "L4");

        Assert.Equal("A3", repeat.ActionOf(1));
        Assert.Contains($"L4 in certified request {pended.ClaimResponse.Id}", repeat.NotesOf(1), StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Clause", "P7.16")]
    public async Task Submit_BvnaOnALevelAReviewerDenied_IsNotARepeat()
    {
        var member = $"member-{Guid.NewGuid():N}"[..20];
        await PendAndReviewAsync(member, "A3", "Conservative care not documented for six months.");

        var next = await SubmitBvnaAsync(member, "2026-09-01", "L5", "S1");

        Assert.Equal("A1", next.ActionOf(1));
    }

    /// <summary>A BVNA on L4–L5 pended (A4: conservative care not yet shown), then decided by a reviewer.</summary>
    private async Task<string> PendAndReviewAsync(string member, string action, string note)
    {
        var pended = await _host.SubmitAsync(new PasRequestBuilder { PatientId = member, ServiceDate = "2026-03-02" }
            .Line("64628")
            .WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-failed-conservative-care-6-months", false)))
            .Build());
        Assert.Equal("A4", pended.ActionOf(1));
        var id = pended.ClaimResponse.Id!;

        using var reviewer = _host.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{id}/$review", SubscriptionRequests.Decision(1, action, note));
        Assert.True(reviewed.Status == HttpStatusCode.OK, reviewed.Body);
        Assert.Equal(action, reviewed.ActionOf(1));
        return id;
    }

    /// <summary>A later BVNA whose form says there was no earlier BVNA (the default answers).</summary>
    private Task<FhirAnswer> SubmitBvnaAsync(string member, string serviceDate, params string[] levels) =>
        _host.SubmitAsync(new PasRequestBuilder { PatientId = member, ServiceDate = serviceDate }
            .Line("64628")
            .WithAnswers(_host.Fill(Answers.AllMet("bvna").Set("bvna-treated-levels", levels)))
            .Build());
}
