using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Who must hear of a decided request: every active PAS subscription of the organization that
/// submitted it (filed under the same owner, and matching the topic's org-identifier filter), and
/// nobody else. The events are queued with the decision
/// (<see cref="Records.PasRecordStore.SaveResponseAsync"/>) and delivered by
/// <see cref="NotificationDispatcher"/> on whichever instance claims them.
/// </summary>
internal sealed class PasNotifier(PasSubscriptionService subscriptions)
{
    public async Task<IReadOnlyList<NotificationEvent>> EventsForAsync(ClaimResponse response, Bundle request, string fhirBase, CancellationToken cancellationToken)
    {
        var requestor = RequestingOrganization(response, request);
        var owner = OwnerTag.Of(response);
        var events = new List<NotificationEvent>();
        foreach (var subscription in await subscriptions.ActiveAsync(cancellationToken))
        {
            // Only the organization that submitted the request hears about it, whatever a filter says.
            if (subscription.Matches(requestor) && string.Equals(subscription.Owner, owner, StringComparison.Ordinal))
            {
                events.Add(new NotificationEvent(subscription.Id, "ClaimResponse", response.Id!, fhirBase));
            }
        }

        return events;
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
