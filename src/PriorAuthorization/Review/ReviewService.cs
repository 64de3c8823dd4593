using System.Globalization;
using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;
using SpinePolicy.PriorAuthorization.Subscriptions;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// Records a reviewer's decisions on pended items as a new version of the ClaimResponse (only pended
/// items can be decided; the update is conditional on the version read), with the request's decision
/// clock and the subscribers' notifications in the same transaction. A reviewer may also extend the
/// decision timeframe, once, before it runs out.
/// </summary>
internal sealed partial class ReviewService(
    PasRecordStore records,
    ClaimResponseBuilder builder,
    PasOptions options,
    PasNotifier notifier,
    OrderFactsReader orderFacts,
    NotificationWakeUp wakeUp,
    MemberCoverageReader coverageReader,
    DecisionDeadline deadline,
    SpinePolicyMetrics metrics,
    TimeProvider clock,
    ILogger<ReviewService> logger) : IReviewRecorder
{
    public Task<Bundle?> ReviewAsync(string id, IReadOnlyList<ReviewDecision> decisions, string reviewer, string fhirBase, CancellationToken cancellationToken) =>
        ReviewAsync(id, new ReviewRequest(decisions, null), reviewer, fhirBase, cancellationToken);

    public async Task<Bundle?> ReviewAsync(string id, ReviewRequest review, string reviewer, string fhirBase, CancellationToken cancellationToken)
    {
        var decisions = review.Decisions;
        using var span = SpinePolicyTelemetry.Source.StartActivity("PAS review");
        if (await records.ReadAsync(id, cancellationToken) is not { } record)
        {
            return null;
        }

        if (review.IfMatchVersion is { } expected && expected != record.ResponseVersion)
        {
            throw StaleVersion(expected, record.ResponseVersion);
        }

        var response = record.Response;
        var claim = record.Request.Entry[0].Resource as Claim
            ?? throw new InvalidOperationException($"Record {id} holds no Claim.");
        var now = clock.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (response.Status == FinancialResourceStatusCodes.Cancelled)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, "This request was cancelled or replaced by its submitter; there is nothing left to review.", "ClaimResponse.status");
        }

        var decisionClock = record.Clock;
        if (review.Extension is { } extension)
        {
            decisionClock = Extend(decisionClock, extension, reviewer, now);
            ClaimResponseBuilder.AddNote(response, $"The decision timeframe was extended by {extension.Days} calendar day(s), to {decisionClock.DueBy.UtcDateTime:yyyy-MM-dd HH:mm} UTC: {extension.Reason}");
        }

        var decided = new List<DecisionTelemetry.Item>(decisions.Count);
        foreach (var decision in decisions)
        {
            var index = response.Item.FindIndex(i => i.ItemSequence == decision.Sequence);
            if (index < 0)
            {
                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"The ClaimResponse has no item {decision.Sequence}.", "Parameters.parameter.part");
            }

            var current = response.Item[index];
            if (ClaimResponseItems.ActionOf(current) != ReviewAction.Pended)
            {
                if (record.ResponseVersion > 1 && await WasPendedAtReceiptAsync(id, decision.Sequence, cancellationToken))
                {
                    throw DecidedMeanwhile($"Item {decision.Sequence} was already decided on review (it is now {ClaimResponseItems.ActionOf(current)?.X12().Code}); nothing was recorded. Read ClaimResponse/{id} again.");
                }

                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, $"Item {decision.Sequence} is not pended (it was {ClaimResponseItems.ActionOf(current)?.X12().Code}); only pended items are reviewed.", "Parameters.parameter.part");
            }

            // The item as $submit read it: the same code and date of service.
            var itemIndex = claim.Item.FindIndex(i => i.Sequence == decision.Sequence);
            var service = itemIndex < 0 ? null : orderFacts.Read(claim, itemIndex, decision.Sequence.ToString(CultureInfo.InvariantCulture));
            var code = service?.CptCode ?? "?";
            decided.Add(new DecisionTelemetry.Item(decision.Action, code));
            var notes = current.NoteNumber.Select(n => n ?? 0).Where(n => n > 0).ToList();
            var words = decision.Action == ReviewAction.Certified ? "certified" : "not certified";
            notes.Add(ClaimResponseBuilder.AddNote(response, $"Item {decision.Sequence} ({code}): {words} after clinical review by {reviewer} on {today:yyyy-MM-dd}.{(decision.Note is { Length: > 0 } n ? " " + n : string.Empty)}"));

            ClaimResponseItems.Certification? certification = null;
            var reasons = new List<ClaimResponseItems.Reason>();
            if (decision.Action == ReviewAction.Certified)
            {
                response.PreAuthRef ??= builder.NewAuthorizationNumber(today);
                var dates = service?.DateOfService ?? PolicyEngine.Facts.DateRange.Day(today);
                certification = ClaimResponseItems.Certification.For(
                    $"{response.PreAuthRef}-{decision.Sequence.ToString(CultureInfo.InvariantCulture)}",
                    today,
                    dates,
                    options.AuthorizationValidityDays);
            }
            else
            {
                var reason = decision.ReasonCode ?? "0F";
                reasons.Add(new ClaimResponseItems.Reason(reason, ReviewReasons.DenialDisplay(reason) ?? reason, decision.Note!));
            }

            var trace = current.Extension.FirstOrDefault(e => e.Url == PasCodes.ItemTraceNumberUrl);
            response.Item[index] = ClaimResponseItems.Build(decision.Sequence, decision.Action, reasons, certification, notes, trace);
        }

        var certified = response.Item.Where(i => ClaimResponseItems.ActionOf(i) == ReviewAction.Certified).ToList();
        response.PreAuthPeriod = ClaimResponseBuilder.OverallPeriod(certified);
        if (certified.Count == 0)
        {
            response.PreAuthRef = null;
        }

        ClaimResponseBuilder.Summarize(response);
        if (response.Outcome != ClaimProcessingCodes.Partial && decisionClock.IsOpen)
        {
            decisionClock = decisionClock.Decide(now);
            if (decisionClock.DecidedLate)
            {
                ClaimResponseBuilder.AddNote(response, $"Decided after the decision was due ({decisionClock.DueBy.UtcDateTime:yyyy-MM-dd HH:mm} UTC); recorded as a late decision.");
            }
        }

        var notifications = await notifier.EventsForAsync(response, record.Request, fhirBase, cancellationToken);
        int version;
        try
        {
            version = await records.SaveResponseAsync(record, response, decisionClock, notifications, cancellationToken);
        }
        catch (VersionConflictException)
        {
            // Another reviewer (on this instance or another) recorded a decision since this one read
            // the request: theirs stands, this one is refused whole.
            throw review.IfMatchVersion is { } named
                ? StaleVersion(named, null)
                : DecidedMeanwhile($"Another decision on this request was recorded while this one was made; nothing was recorded. Read ClaimResponse/{id} again.");
        }

        if (notifications.Count > 0)
        {
            wakeUp.Notify();
        }

        response.Meta ??= new Meta();
        response.Meta.VersionId = version.ToString(CultureInfo.InvariantCulture);
        var productLine = StoredRequest.Of(record).Coverage is { } coverage ? coverageReader.ReadProductLine(coverage).ProductLine : null;
        DecisionTelemetry.Record(metrics, "review", productLine ?? ClaimDecider.UnknownProductLine, decided, PolicyVersionsOf(response));
        LogReviewed(logger, decisions.Count, version);

        return PasResponseBundleBuilder.Build(response, record.Request, fhirBase, now);
    }

    /// <summary>
    /// A timeframe extension, where the plan's rules allow one: once per request, while it waits for
    /// a decision and before the decision is due, for at most the configured maximum.
    /// </summary>
    private DecisionClock Extend(DecisionClock current, ExtensionRequest extension, string reviewer, DateTimeOffset now)
    {
        var problem = current switch
        {
            { IsOpen: false } => "The request is already decided; its timeframe can no longer be extended.",
            { Extension: not null } => "The decision timeframe of this request was already extended once; it cannot be extended again.",
            _ when now > current.DueBy => $"The decision was due at {current.DueBy.UtcDateTime:yyyy-MM-dd HH:mm} UTC; a timeframe is extended before it runs out, not after.",
            _ when deadline.MaxExtension <= TimeSpan.Zero => "This plan's rules allow no extension of the decision timeframe.",
            _ when extension.Days > deadline.MaxExtension.TotalDays => $"An extension may be at most {deadline.MaxExtension.TotalDays:0} calendar days.",
            _ => null,
        };
        if (problem is not null)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, problem, "Parameters.parameter.where(name = 'extendTimeframe')");
        }

        // Only now, bounded by the maximum, does the number of days become a TimeSpan (a huge value would overflow).
        return current.Extend(new TimeframeExtension(TimeSpan.FromDays(extension.Days), extension.Reason, now, reviewer));
    }

    /// <summary>
    /// Whether the item was pended when the request was decided at receipt (version 1): then it is
    /// no longer pended because a reviewer decided it since, a conflict with that decision (409), not
    /// a request to review an item that was never open (422). Read only on that refusal.
    /// </summary>
    private async Task<bool> WasPendedAtReceiptAsync(string id, int sequence, CancellationToken cancellationToken) =>
        await records.ReadVersionAsync(id, 1, cancellationToken) is { } first
        && first.Response.Item.FirstOrDefault(i => i.ItemSequence == sequence) is { } item
        && ClaimResponseItems.ActionOf(item) == ReviewAction.Pended;

    /// <summary>409: the request changed under the reviewer (a decision recorded meanwhile, here or on another instance).</summary>
    private static FhirHttpException DecidedMeanwhile(string message) => FhirHttpException.ChangedMeanwhile(message, "ClaimResponse");

    /// <summary>412: the If-Match the reviewer sent names a version that is no longer current.</summary>
    private static FhirHttpException StaleVersion(int expected, int? current) => FhirHttpException.StaleIfMatch("ClaimResponse", expected, current);

    /// <summary>The versions of the policy the submit decided under, as its meta.tag records them (canonical|version).</summary>
    private static IEnumerable<string?> PolicyVersionsOf(ClaimResponse response) =>
        (response.Meta?.Tag ?? [])
            .Where(t => t.System == ClaimResponseBuilder.PolicyVersionSystem)
            .Select(t => t.Code)
            .OfType<string>()
            .Select(code => code[(code.LastIndexOf('|') + 1)..]);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information, Message = "PAS review: {ItemCount} item(s) decided; ClaimResponse version {Version}")]
    private static partial void LogReviewed(ILogger logger, int itemCount, int version);
}
