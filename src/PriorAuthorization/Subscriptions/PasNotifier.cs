using System.Collections.Concurrent;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// After a pended request is decided, queues a notification for every active PAS subscription of the
/// organization that requested it (the topic's orgIdentifier filter), and nobody else.
/// </summary>
public sealed class PasNotifier(PasSubscriptionService subscriptions, NotificationQueue queue, TimeProvider clock)
{
    // events-since-subscription-start counts from this process's start; not persisted across restarts.
    private static readonly ConcurrentDictionary<string, long> EventCounts = new(StringComparer.Ordinal);

    public async Task<int> NotifyAsync(ClaimResponse response, Bundle request, string fhirBase, CancellationToken cancellationToken)
    {
        var requestor = RequestingOrganization(response, request);
        var sent = 0;
        foreach (var subscription in await subscriptions.ActiveAsync(cancellationToken))
        {
            if (!subscription.Matches(requestor))
            {
                continue;
            }

            var number = EventCounts.AddOrUpdate(subscription.Id, 1, (_, n) => n + 1);
            var bundle = NotificationBundleBuilder.Build(subscription, fhirBase, number, response, request, clock.GetUtcNow());
            await queue.EnqueueAsync(new NotificationDelivery(subscription.Id, subscription.Endpoint, FhirJson.SerializeToUtf8Bytes(bundle), subscription.Headers), cancellationToken);
            sent++;
        }

        return sent;
    }

    private static Organization? RequestingOrganization(ClaimResponse response, Bundle request)
    {
        var claim = request.Entry.Count > 0 ? request.Entry[0].Resource as Claim : null;
        foreach (var reference in new[] { response.Requestor?.Reference, claim?.Provider?.Reference })
        {
            if (reference is null)
            {
                continue;
            }

            var match = request.Entry.FirstOrDefault(e => e.FullUrl == reference)
                ?? request.Entry.FirstOrDefault(e => e.Resource is Organization o && reference.EndsWith($"Organization/{o.Id}", StringComparison.Ordinal));
            if (match?.Resource is Organization organization)
            {
                return organization;
            }
        }

        return null;
    }
}
