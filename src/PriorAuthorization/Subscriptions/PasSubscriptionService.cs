using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// The life of Subscriptions to the PAS topic, kept in the resource store: created active, updated
/// (a client may switch one off, or back on after an error), deleted, put in error by the
/// dispatcher when its endpoint keeps failing, and reported by <c>$status</c>.
/// </summary>
public sealed class PasSubscriptionService(IResourceStore store, INotificationOutbox outbox, PasOptions options)
{
    /// <summary>Checks the Subscription, activates it and stores it; returns it as stored.</summary>
    public async Task<(Subscription Subscription, StoredResource Stored)> CreateAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        subscription.Id = Guid.NewGuid().ToString("N");
        Accept(subscription);
        var saved = await store.SaveAsync([new ResourceWrite(subscription)], cancellationToken);
        return (FhirJson.Parse<Subscription>(saved[0].Json), saved[0]);
    }

    /// <summary>
    /// Replaces a Subscription (conditional on <paramref name="ifMatchVersion"/> when given). Status
    /// "off" stops it and drops what was queued for it; "requested" or "active" (re)activates it.
    /// Null when there is no such Subscription.
    /// </summary>
    public async Task<(Subscription Subscription, StoredResource Stored)?> UpdateAsync(string id, Subscription subscription, int? ifMatchVersion, CancellationToken cancellationToken)
    {
        if (subscription.Id is { } bodyId && bodyId != id)
        {
            throw FhirHttpException.BadRequest($"The Subscription's id '{bodyId}' is not the id in the URL ('{id}').", "Subscription.id");
        }

        if (await ReadAsync(id, cancellationToken) is not { } current)
        {
            return null;
        }

        subscription.Id = id;
        var stopping = subscription.Status == Subscription.SubscriptionStatus.Off;
        if (subscription.Status == Subscription.SubscriptionStatus.Error)
        {
            throw FhirHttpException.Unprocessable("Status 'error' is set by the server when an endpoint keeps failing; send 'off' to stop a subscription or 'requested' to resume it.", "Subscription.status", OperationOutcome.IssueType.BusinessRule);
        }

        Accept(subscription);
        if (stopping)
        {
            subscription.Status = Subscription.SubscriptionStatus.Off;
        }

        var saved = await store.SaveAsync([new ResourceWrite(subscription, IfMatchVersion: ifMatchVersion ?? current.Stored.VersionId)], cancellationToken);
        if (stopping)
        {
            await outbox.DiscardAsync(id, cancellationToken);
        }

        return (FhirJson.Parse<Subscription>(saved[0].Json), saved[0]);
    }

    /// <summary>Deletes the Subscription and what was queued for it; false when there was none.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        if (!await store.DeleteAsync("Subscription", id, cancellationToken))
        {
            return false;
        }

        await outbox.DiscardAsync(id, cancellationToken);
        return true;
    }

    /// <summary>Puts an active Subscription in status error with the reason (its endpoint keeps failing).</summary>
    public async Task MarkErrorAsync(string id, string reason, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, cancellationToken) is not { } current || current.Subscription.Status != Subscription.SubscriptionStatus.Active)
        {
            return;
        }

        current.Subscription.Status = Subscription.SubscriptionStatus.Error;
        current.Subscription.Error = reason;
        try
        {
            await store.SaveAsync([new ResourceWrite(current.Subscription, IfMatchVersion: current.Stored.VersionId)], cancellationToken);
        }
        catch (VersionConflictException)
        {
            // The client changed it meanwhile (switched it off, pointed it elsewhere): its word stands.
        }
    }

    public async Task<(Subscription Subscription, StoredResource Stored)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync("Subscription", id, cancellationToken);
        return stored is null || stored.Deleted ? null : (FhirJson.Parse<Subscription>(stored.Json), stored);
    }

    /// <summary>The backport's $status answer for one Subscription, or null when there is none.</summary>
    public async Task<Bundle?> StatusAsync(string id, string fhirBase, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, cancellationToken) is not { } found)
        {
            return null;
        }

        var events = await outbox.EventCountAsync(id, cancellationToken);
        return SubscriptionStatusBuilder.QueryStatus(found.Subscription, fhirBase, events);
    }

    /// <summary>Every active PAS subscription (all pages).</summary>
    public async Task<IReadOnlyList<PasSubscription>> ActiveAsync(CancellationToken cancellationToken)
    {
        var found = new List<PasSubscription>();
        string? after = null;
        do
        {
            var page = await store.SearchAsync(new ResourceSearch("Subscription") { Statuses = ["active"], Count = ResourceSearch.MaxCount, After = after }, cancellationToken);
            foreach (var stored in page.Resources)
            {
                var subscription = FhirJson.Parse<Subscription>(stored.Json);
                if (subscription.Criteria != Response.PasCodes.SubscriptionTopic)
                {
                    continue;
                }

                try
                {
                    found.Add(PasSubscription.Read(subscription, allowHttp: true));
                }
                catch (FhirHttpException)
                {
                    // A stored subscription we would no longer accept is skipped, never a reason to fail a decision.
                }
            }

            after = page.Next;
        }
        while (after is not null);

        return found;
    }

    /// <summary>Checks the Subscription and makes it active with the backport profile (no handshake is required by PAS).</summary>
    private void Accept(Subscription subscription)
    {
        PasSubscription.Read(subscription, options.AllowHttpSubscriptionEndpoints);
        subscription.Status = Subscription.SubscriptionStatus.Active;
        subscription.Error = null;
        subscription.Meta ??= new Meta();
        if (!subscription.Meta.Profile.Contains(BackportCodes.SubscriptionProfile))
        {
            subscription.Meta.Profile = subscription.Meta.Profile.Append(BackportCodes.SubscriptionProfile).ToList();
        }
    }
}
