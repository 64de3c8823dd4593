using System.Net.Http.Headers;
using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Delivers the notification outbox, on every instance: claims due notifications (a lease, so two
/// instances never send the same one at once and one that dies lets its claim go), posts each to
/// its subscriber, and records the outcome in the database: delivered ones leave the outbox, failed
/// ones come back after a doubling delay. Deliveries run side by side, so a dead subscriber delays
/// only its own notifications. After <see cref="PasOptions.NotificationAttempts"/> failures of one
/// notification the subscription is put in status error and its queue dropped: a dead endpoint is
/// not retried forever.
/// </summary>
internal sealed partial class NotificationDispatcher(
    IServiceScopeFactory scopes,
    INotificationOutbox outbox,
    NotificationWakeUp wakeUp,
    SubscriptionEndpointPolicy endpoints,
    IHttpClientFactory clients,
    PasOptions options,
    SpinePolicyMetrics metrics,
    TimeProvider clock,
    ILogger<NotificationDispatcher> logger) : BackgroundService
{
    public const string ClientName = "pas-notifications";

    /// <summary>Notifications claimed per round; each is posted concurrently with the others.</summary>
    private const int ClaimBatch = 32;

    /// <summary>A claim outlives the slowest delivery (the client's timeout) with room to spare.</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan LongestRetryDelay = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var claimed = 0;
            try
            {
                var due = await outbox.ClaimDueAsync(ClaimBatch, Lease, stoppingToken);
                claimed = due.Count;
                await Task.WhenAll(due.Select(notification => DeliverAsync(notification, stoppingToken)));
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (StorageUnavailableException)
            {
                // The database is away; what is queued stays queued. Look again after the poll interval.
                LogOutboxUnavailable(logger);
            }

            if (claimed < ClaimBatch)
            {
                await wakeUp.WaitAsync(options.NotificationPollInterval, stoppingToken);
            }
        }
    }

    private async Task DeliverAsync(QueuedNotification notification, CancellationToken stoppingToken)
    {
        try
        {
            await TryDeliverAsync(notification, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // This instance is stopping mid-delivery: hand the notification back at once rather
            // than leaving it claimed until the lease runs out.
            await outbox.RetryLaterAsync(notification.Id, clock.GetUtcNow(), "instance stopped during delivery", CancellationToken.None);
        }
    }

    /// <summary>
    /// Once the subscriber has answered, the outcome is recorded whatever happens to this instance
    /// (CancellationToken.None): a delivered notification must not be sent twice for want of a DELETE.
    /// </summary>
    private async Task TryDeliverAsync(QueuedNotification notification, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var subscriptions = scope.ServiceProvider.GetRequiredService<PasSubscriptionService>();
        var found = await subscriptions.ReadStoredAsync(notification.SubscriptionId, cancellationToken);
        if (found is not { } current || current.Subscription.Status != Subscription.SubscriptionStatus.Active)
        {
            // Deleted, switched off or in error since the decision: nobody wants this any more.
            await outbox.CompleteAsync(notification.Id, CancellationToken.None);
            metrics.NotificationAttempted("dropped", null);
            LogDropped(logger, notification.SubscriptionId, notification.EventNumber);
            return;
        }

        var subscription = PasSubscription.Read(current.Subscription);

        // This instance's rules, not those in force where the subscription was stored: an endpoint
        // another instance accepted under looser settings is never reached from here. (Addresses
        // are checked on every connection: SubscriptionEndpointPolicy.ConnectAsync.)
        if (endpoints.SchemeProblem(subscription.Endpoint) is { } problem)
        {
            await subscriptions.MarkErrorAsync(notification.SubscriptionId, $"{problem} Delivery stopped; update the Subscription with an endpoint this server may reach.", CancellationToken.None);
            var discarded = await outbox.DiscardAsync(notification.SubscriptionId, CancellationToken.None);
            LogEndpointRefused(logger, notification.SubscriptionId, discarded);
            return;
        }
        var body = await BuildAsync(scope.ServiceProvider.GetRequiredService<PasRecordStore>(), subscription, notification, cancellationToken);
        if (body is null)
        {
            await outbox.CompleteAsync(notification.Id, CancellationToken.None);
            return;
        }

        var status = await TryPostAsync(subscription, body, cancellationToken);
        if (status is >= 200 and < 300)
        {
            await outbox.CompleteAsync(notification.Id, CancellationToken.None);
            metrics.NotificationAttempted("delivered", clock.GetUtcNow() - notification.QueuedAt);
            LogDelivered(logger, notification.SubscriptionId, notification.EventNumber, notification.Attempt, status.Value);
            return;
        }

        var reason = status is { } code ? $"HTTP {code}" : "no answer";
        if (notification.Attempt >= options.NotificationAttempts)
        {
            await subscriptions.MarkErrorAsync(notification.SubscriptionId, $"Notifications to the endpoint failed {notification.Attempt} times in a row (last: {reason}); delivery stopped. Update the Subscription with status 'requested' to resume.", CancellationToken.None);
            var dropped = await outbox.DiscardAsync(notification.SubscriptionId, CancellationToken.None);
            metrics.NotificationAttempted("given-up", null);
            LogGivenUp(logger, notification.SubscriptionId, notification.Attempt, dropped);
            return;
        }

        var delay = options.NotificationRetryDelay * Math.Pow(2, notification.Attempt - 1);
        await outbox.RetryLaterAsync(notification.Id, clock.GetUtcNow() + (delay < LongestRetryDelay ? delay : LongestRetryDelay), reason, CancellationToken.None);
        metrics.NotificationAttempted("failed", null);
        LogAttemptFailed(logger, notification.SubscriptionId, notification.EventNumber, notification.Attempt, status ?? 0);
    }

    /// <summary>The notification Bundle of the decision as it was written (its focus version), or null when the record is gone.</summary>
    private async Task<byte[]?> BuildAsync(PasRecordStore records, PasSubscription subscription, QueuedNotification notification, CancellationToken cancellationToken)
    {
        var record = await records.ReadVersionAsync(notification.FocusId, notification.FocusVersion, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var bundle = NotificationBundleBuilder.Build(subscription, notification.FhirBase, notification.EventNumber, record.Response, record.Request, clock.GetUtcNow());
        return FhirJson.SerializeToUtf8Bytes(bundle);
    }

    private async Task<int?> TryPostAsync(PasSubscription subscription, byte[] body, CancellationToken cancellationToken)
    {
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, subscription.Endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
            foreach (var header in subscription.Headers)
            {
                var parts = header.Split(':', 2);
                if (parts.Length == 2)
                {
                    request.Headers.TryAddWithoutValidation(parts[0].Trim(), parts[1].Trim());
                }
            }

            using var response = await client.SendAsync(request, cancellationToken);
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Timed out.
            return null;
        }
    }

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Notification {EventNumber} for subscription {SubscriptionId} delivered on attempt {Attempt} (HTTP {Status})")]
    private static partial void LogDelivered(ILogger logger, string subscriptionId, long eventNumber, int attempt, int status);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Notification {EventNumber} for subscription {SubscriptionId} failed on attempt {Attempt} (HTTP {Status}; 0 = no answer); retried later")]
    private static partial void LogAttemptFailed(ILogger logger, string subscriptionId, long eventNumber, int attempt, int status);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Subscription {SubscriptionId} put in error after {Attempts} failed deliveries; {Dropped} queued notification(s) dropped")]
    private static partial void LogGivenUp(ILogger logger, string subscriptionId, int attempts, int dropped);

    [LoggerMessage(EventId = 4023, Level = LogLevel.Information, Message = "Notification {EventNumber} for subscription {SubscriptionId} dropped: the subscription is no longer active")]
    private static partial void LogDropped(ILogger logger, string subscriptionId, long eventNumber);

    [LoggerMessage(EventId = 4025, Level = LogLevel.Warning, Message = "Subscription {SubscriptionId} put in error: its endpoint is not one this instance may reach; {Dropped} queued notification(s) dropped")]
    private static partial void LogEndpointRefused(ILogger logger, string subscriptionId, int dropped);

    [LoggerMessage(EventId = 4024, Level = LogLevel.Warning, Message = "Notification outbox unreachable (database unavailable); retrying")]
    private static partial void LogOutboxUnavailable(ILogger logger);
}
