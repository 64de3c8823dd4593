using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.PriorAuthorization.Tests.Support;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>
/// CMS-0057-F clocks through the real endpoints: a pended answer says when the decision is due, the
/// reviewer's queue shows the same recorded time, and a reviewer may extend the timeframe once,
/// with a reason, before it runs out.
/// </summary>
public sealed class DecisionClockTests : IDisposable
{
    private readonly SettableClock _clock = new(new DateTimeOffset(2026, 3, 2, 9, 30, 0, TimeSpan.Zero));
    private readonly PasHost _host;

    public DecisionClockTests()
    {
        // The payer's own tools on a clock months away from the real one: access tokens (minted on the
        // real clock) are out of the picture here; the trust model is tested elsewhere.
        _host = new PasHost(new Dictionary<string, string?> { ["FhirAuthentication:Enabled"] = "false" }, services => services.AddSingleton<TimeProvider>(_clock));
    }

    public void Dispose() => _host.Dispose();

    [Theory]
    [InlineData("normal", 7 * 24, "standard request")]
    [InlineData("stat", 72, "expedited request")]
    public async Task Submit_PendedRequest_AnswerAndQueueCarryTheRecordedDueTime(string priority, int hours, string words)
    {
        var submitted = await SubmitPendedAsync(priority);

        var due = _clock.Now.AddHours(hours);
        Assert.Contains($"due by {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC ({words}", string.Join('\n', submitted.ClaimResponse.ProcessNote.Select(n => n.Text)), StringComparison.Ordinal);
        var queued = await _host.QueuedAsync(submitted.ClaimResponse.Id!);
        Assert.Equal(due, queued.DueBy);
        Assert.Equal(_clock.Now, queued.Received);
    }

    [Fact]
    public async Task Review_ExtendTimeframe_RecordedWithItsReasonAndTheQueueShowsTheNewDueTime()
    {
        var submitted = await SubmitPendedAsync("normal");
        var received = _clock.Now;
        _clock.Now = received.AddDays(2);

        var extended = await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(14, "Imaging report requested from the provider."));

        Assert.Equal(HttpStatusCode.OK, extended.Status);
        Assert.Equal("A4", extended.ActionOf(1));
        var due = received.AddDays(21);
        Assert.Contains($"extended by 14 calendar day(s), to {due.UtcDateTime:yyyy-MM-dd HH:mm} UTC: Imaging report requested from the provider.", string.Join('\n', extended.ClaimResponse.ProcessNote.Select(n => n.Text)), StringComparison.Ordinal);
        var queued = await _host.QueuedAsync(submitted.ClaimResponse.Id!);
        Assert.Equal(due, queued.DueBy);
        Assert.Equal(TimeSpan.FromDays(14), queued.Extension!.By);
        Assert.Equal("Imaging report requested from the provider.", queued.Extension.Reason);
    }

    [Fact]
    public async Task Review_ExtendTimeframeASecondTime_422AndTheFirstExtensionStands()
    {
        var submitted = await SubmitPendedAsync("normal");
        Assert.Equal(HttpStatusCode.OK, (await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(7, "Records requested."))).Status);

        var again = await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(7, "More records."));

        Assert.Equal((HttpStatusCode)422, again.Status);
        Assert.Contains("already extended once", again.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
        Assert.Equal(_clock.Now.AddDays(14), (await _host.QueuedAsync(submitted.ClaimResponse.Id!)).DueBy);
    }

    [Theory]
    [InlineData(15, "Records requested.", 422, "at most 14 calendar days")]
    [InlineData(int.MaxValue, "Records requested.", 422, "at most 14 calendar days")]
    [InlineData(null, "Records requested.", 400, "needs \"days\"")]
    [InlineData(0, "Records requested.", 400, "needs \"days\"")]
    [InlineData(3, null, 400, "needs a \"reason\"")]
    [InlineData(3, "   ", 400, "needs a \"reason\"")]
    public async Task Review_ExtensionOutsideTheRules_RefusedWithTheReason(int? days, string? reason, int status, string words)
    {
        var submitted = await SubmitPendedAsync("normal");

        var answer = await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(days, reason));

        Assert.Equal((HttpStatusCode)status, answer.Status);
        Assert.Contains(words, answer.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_ExtensionAfterTheDecisionWasDue_422()
    {
        var submitted = await SubmitPendedAsync("stat");
        _clock.Now = _clock.Now.AddHours(73);

        var answer = await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(3, "Records requested."));

        Assert.Equal((HttpStatusCode)422, answer.Status);
        Assert.Contains("extended before it runs out", answer.Outcome.Issue[0].Diagnostics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Review_DecidedAfterTheDueTime_RecordedAsLate()
    {
        var submitted = await SubmitPendedAsync("normal");
        _clock.Now = _clock.Now.AddDays(8);

        var reviewed = await ReviewAsync(submitted.ClaimResponse.Id!, SubscriptionRequests.Decision(1, "A1", "Criteria met on review."));

        Assert.Equal("A1", reviewed.ActionOf(1));
        Assert.Contains("recorded as a late decision", string.Join('\n', reviewed.ClaimResponse.ProcessNote.Select(n => n.Text)), StringComparison.Ordinal);
        var extension = await ReviewAsync(submitted.ClaimResponse.Id!, ReviewRequests.Extension(3, "Too late."));
        Assert.Equal((HttpStatusCode)422, extension.Status);
    }

    private async Task<FhirAnswer> SubmitPendedAsync(string priority)
    {
        // BMI missing: the item pends for the information (P6), so the request waits on the clock.
        var request = new PasRequestBuilder { Priority = priority }.Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var submitted = await _host.SubmitAsync(request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        return submitted;
    }

    private async Task<FhirAnswer> ReviewAsync(string id, Hl7.Fhir.Model.Parameters parameters)
    {
        using var client = _host.CreateClient(ReviewerTokens.Mint());
        return await PasHost.PostAsync(client, $"/fhir/ClaimResponse/{id}/$review", parameters);
    }
}
