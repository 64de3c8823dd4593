using System.Net.Http.Headers;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Posts queued notifications to subscribers' rest-hook endpoints (HttpClientFactory client
/// "pas-notifications"), retrying failures and 5xx/429 answers with doubling delays.
/// </summary>
public sealed partial class NotificationSender(
    NotificationQueue queue,
    IHttpClientFactory clients,
    PasOptions options,
    TimeProvider clock,
    ILogger<NotificationSender> logger) : BackgroundService
{
    public const string ClientName = "pas-notifications";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var delivery in queue.ReadAllAsync(stoppingToken))
            {
                await DeliverAsync(delivery, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutting down.
        }
    }

    private async Task DeliverAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        var delay = options.NotificationRetryDelay;
        for (var attempt = 1; attempt <= options.NotificationAttempts; attempt++)
        {
            var status = await TryPostAsync(delivery, cancellationToken);
            if (status is >= 200 and < 300)
            {
                LogDelivered(logger, delivery.SubscriptionId, attempt, status.Value);
                return;
            }

            LogAttemptFailed(logger, delivery.SubscriptionId, attempt, status ?? 0);
            if (attempt < options.NotificationAttempts)
            {
                await System.Threading.Tasks.Task.Delay(delay, clock, cancellationToken);
                delay *= 2;
            }
        }

        LogGivenUp(logger, delivery.SubscriptionId, options.NotificationAttempts);
    }

    private async Task<int?> TryPostAsync(NotificationDelivery delivery, CancellationToken cancellationToken)
    {
        try
        {
            using var client = clients.CreateClient(ClientName);
            using var request = new HttpRequestMessage(HttpMethod.Post, delivery.Endpoint)
            {
                Content = new ByteArrayContent(delivery.Body),
            };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/fhir+json") { CharSet = "utf-8" };
            foreach (var header in delivery.Headers)
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

    [LoggerMessage(EventId = 4020, Level = LogLevel.Information, Message = "Notification for subscription {SubscriptionId} delivered on attempt {Attempt} (HTTP {Status})")]
    private static partial void LogDelivered(ILogger logger, string subscriptionId, int attempt, int status);

    [LoggerMessage(EventId = 4021, Level = LogLevel.Warning, Message = "Notification for subscription {SubscriptionId} failed on attempt {Attempt} (HTTP {Status}; 0 = no answer)")]
    private static partial void LogAttemptFailed(ILogger logger, string subscriptionId, int attempt, int status);

    [LoggerMessage(EventId = 4022, Level = LogLevel.Error, Message = "Notification for subscription {SubscriptionId} given up after {Attempts} attempts")]
    private static partial void LogGivenUp(ILogger logger, string subscriptionId, int attempts);
}
