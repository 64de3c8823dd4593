using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.CdsHooks.Options;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Services;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.CdsHooks.Feedback;

/// <summary>
/// POST /cds-services/{id}/feedback (CDS Hooks 2.0 Feedback): what the clinician did with our
/// cards, stored linked to the coverage assertions each card spoke about, for the payer's own
/// reporting (FHIR: <c>Basic?code=cds-hooks-feedback</c>). A request is stored whole or not at all.
/// </summary>
internal static partial class FeedbackHandler
{
    public static async Task<Results<Ok, JsonHttpResult<CdsError>>> PostAsync(
        string id,
        HttpRequest httpRequest,
        IEnumerable<ICrdHookService> services,
        ICardFeedbackStore store,
        IOptions<CdsHooksOptions> options,
        TimeProvider time,
        ILogger<FeedbackLog> logger,
        CancellationToken cancellationToken)
    {
        if (!services.Any(s => s.Descriptor.Id == id))
        {
            return CdsHooksHandlers.Error(StatusCodes.Status404NotFound, "unknown-service", $"There is no CDS service '{id}'. GET /cds-services lists them.");
        }

        try
        {
            using var body = await CdsHooksHandlers.ReadBodyAsync(httpRequest, options.Value.MaxRequestBytes, cancellationToken);
            var now = time.GetUtcNow();
            var entries = FeedbackRequestParser.Parse(body.RootElement, now);
            var feedback = new List<CardFeedback>(entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                feedback.Add(await LinkAsync(entries[i], $"feedback[{i}]", id, store, now, cancellationToken));
            }

            var stored = await store.SaveAsync(feedback, cancellationToken);
            // Counts only: an override comment may quote the patient.
            LogStored(logger, id, entries.Count, stored);
            return TypedResults.Ok();
        }
        catch (CdsRequestException ex)
        {
            return CdsHooksHandlers.Error(ex.StatusCode, ex.Error, ex.Message, ex.Outcome);
        }
        catch (StorageUnavailableException)
        {
            httpRequest.HttpContext.Response.Headers.RetryAfter = CdsHooksHandlers.StorageRetryAfterSeconds;
            return CdsHooksHandlers.Error(StatusCodes.Status503ServiceUnavailable, "storage-unavailable", "The feedback could not be recorded; try again shortly.");
        }
    }

    /// <summary>
    /// Feedback is only about a card this service issued: one we never issued (or another service
    /// did) is refused with 422 rather than stored unlinked, so that every stored entry names the
    /// assertions it is about. Our cards carry no suggestions, so no accepted suggestion can be ours.
    /// </summary>
    private static async Task<CardFeedback> LinkAsync(FeedbackEntry entry, string path, string serviceId, ICardFeedbackStore store, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var card = await store.FindIssuedCardAsync(entry.CardUuid, cancellationToken);
        if (card is null)
        {
            throw CdsRequestException.Invalid("unknown-card", $"{path}.card: this service never issued a card with that uuid; nothing was stored.", $"{path}.card");
        }

        if (card.ServiceId != serviceId)
        {
            throw CdsRequestException.Invalid("wrong-service", $"{path}.card was issued by the service '{card.ServiceId}'; send its feedback to /cds-services/{card.ServiceId}/feedback. Nothing was stored.", $"{path}.card");
        }

        if (entry.AcceptedSuggestions.Count > 0)
        {
            throw CdsRequestException.Invalid("unknown-suggestion", $"{path}.acceptedSuggestions: the card offered no suggestions, so '{entry.AcceptedSuggestions[0]}' is not one of them. Nothing was stored.", $"{path}.acceptedSuggestions");
        }

        return new CardFeedback
        {
            FeedbackId = Guid.NewGuid().ToString("N"),
            ServiceId = serviceId,
            CardUuid = entry.CardUuid,
            Outcome = entry.Outcome,
            OutcomeTimestamp = entry.OutcomeTimestamp,
            AcceptedSuggestions = entry.AcceptedSuggestions,
            OverrideReason = entry.OverrideReason,
            UserComment = entry.UserComment,
            AssertionIds = card.AssertionIds,
            ReceivedAt = now,
        };
    }

    /// <summary>The log category of feedback (a static class cannot be one).</summary>
    public sealed class FeedbackLog;

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "CDS Hooks feedback for {ServiceId}: {Entries} entries, {Stored} new")]
    private static partial void LogStored(ILogger logger, string serviceId, int entries, int stored);
}
