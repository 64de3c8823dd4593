using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// The life of Subscriptions to the PAS topic, kept in the resource store: created active, updated
/// (a client may switch one off, or back on after an error), deleted, put in error by the
/// dispatcher when its endpoint keeps failing, and reported by <c>$status</c>.
/// Every Subscription is filed under the provider organization that created it: only a provider
/// subscribes, only to its own organization's decisions, and only it may read, change, delete or
/// ask the status of its subscriptions (anyone else's answer as unknown). channel.header values are
/// credentials for the subscriber's endpoint: stored for delivery, never returned.
/// </summary>
internal sealed class PasSubscriptionService(IResourceStore store, INotificationOutbox outbox, SubscriptionEndpointPolicy endpoints)
{
    /// <summary>Checks the Subscription, activates it and stores it; returns it as stored, without its headers.</summary>
    public async Task<(Subscription Subscription, StoredResource Stored)> CreateAsync(Subscription subscription, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (!caller.Unrestricted && !caller.IsProvider)
        {
            throw FhirHttpException.Forbidden("PAS subscriptions are for provider organizations; this client is not bound to one.");
        }

        subscription.Id = Guid.NewGuid().ToString("N");
        await AcceptAsync(subscription, caller, cancellationToken);
        OwnerTag.Set(subscription, caller.OwnerKey);
        var saved = await store.SaveAsync([new ResourceWrite(subscription)], cancellationToken);
        return (WithoutSecrets(FhirJson.ParseStored<Subscription>(saved[0].Json)), saved[0]);
    }

    /// <summary>
    /// Replaces the caller's Subscription (conditional on <paramref name="ifMatchVersion"/> when
    /// given). Status "off" stops it and drops what was queued for it; "requested" or "active"
    /// (re)activates it. The owner never changes; an update without channel.header keeps the stored
    /// headers (the client never sees them, so it cannot send them back). Null when there is no
    /// such Subscription of the caller's.
    /// </summary>
    public async Task<(Subscription Subscription, StoredResource Stored)?> UpdateAsync(string id, Subscription subscription, int? ifMatchVersion, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (subscription.Id is { } bodyId && bodyId != id)
        {
            throw FhirHttpException.BadRequest($"The Subscription's id '{bodyId}' is not the id in the URL ('{id}').", "Subscription.id");
        }

        if (await ReadStoredAsync(id, cancellationToken) is not { } current || !caller.MaySee(OwnerTag.Of(current.Subscription)))
        {
            return null;
        }

        if (ifMatchVersion is { } expected && expected != current.Stored.VersionId)
        {
            throw FhirHttpException.StaleIfMatch("Subscription", expected, current.Stored.VersionId);
        }

        subscription.Id = id;
        var stopping = subscription.Status == Subscription.SubscriptionStatus.Off;
        if (subscription.Status == Subscription.SubscriptionStatus.Error)
        {
            throw FhirHttpException.Unprocessable("Status 'error' is set by the server when an endpoint keeps failing; send 'off' to stop a subscription or 'requested' to resume it.", "Subscription.status", OperationOutcome.IssueType.BusinessRule);
        }

        if (subscription.Channel is { } channel && channel.HeaderElement.Count == 0)
        {
            channel.HeaderElement = current.Subscription.Channel?.HeaderElement.Select(h => (FhirString)h.DeepCopy()).ToList() ?? [];
        }

        await AcceptAsync(subscription, caller, cancellationToken);
        if (stopping)
        {
            subscription.Status = Subscription.SubscriptionStatus.Off;
        }

        OwnerTag.Set(subscription, OwnerTag.Of(current.Subscription));
        IReadOnlyList<StoredResource> saved;
        try
        {
            // Conditional on the version read even without If-Match: the stored headers and owner
            // carried over above are that version's.
            saved = await store.SaveAsync([new ResourceWrite(subscription, IfMatchVersion: current.Stored.VersionId)], cancellationToken);
        }
        catch (VersionConflictException)
        {
            // Changed since it was read: by the server (put in error after failed deliveries) or by
            // another update. The client's own If-Match is now stale (412); without one, its
            // update conflicts with that change (409).
            throw ifMatchVersion is { } named
                ? FhirHttpException.StaleIfMatch("Subscription", named, null)
                : FhirHttpException.ChangedMeanwhile($"Subscription/{id} was changed while this update was being recorded (put in error by the server, or updated by another request). Nothing was recorded; read it again and retry.", "Subscription");
        }

        if (stopping)
        {
            await outbox.DiscardAsync(id, cancellationToken);
        }

        return (WithoutSecrets(FhirJson.ParseStored<Subscription>(saved[0].Json)), saved[0]);
    }

    /// <summary>Deletes the caller's Subscription and what was queued for it; false when the caller has none of that id.</summary>
    public async Task<bool> DeleteAsync(string id, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, caller, cancellationToken) is null || !await store.DeleteAsync("Subscription", id, cancellationToken))
        {
            return false;
        }

        await outbox.DiscardAsync(id, cancellationToken);
        return true;
    }

    /// <summary>Puts an active Subscription in status error with the reason (its endpoint keeps failing, or may not be reached).</summary>
    public async Task MarkErrorAsync(string id, string reason, CancellationToken cancellationToken)
    {
        if (await ReadStoredAsync(id, cancellationToken) is not { } current || current.Subscription.Status != Subscription.SubscriptionStatus.Active)
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

    /// <summary>The caller's own Subscription (without its headers); another organization's is answered as unknown.</summary>
    public async Task<(Subscription Subscription, StoredResource Stored)?> ReadAsync(string id, FhirCaller caller, CancellationToken cancellationToken) =>
        await ReadStoredAsync(id, cancellationToken) is { } found && caller.MaySee(OwnerTag.Of(found.Subscription))
            ? (WithoutSecrets(found.Subscription), found.Stored)
            : null;

    /// <summary>The Subscription as stored, headers included: for the server's own delivery, never for an answer.</summary>
    public async Task<(Subscription Subscription, StoredResource Stored)?> ReadStoredAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync("Subscription", id, cancellationToken);
        return stored is null || stored.Deleted ? null : (FhirJson.ParseStored<Subscription>(stored.Json), stored);
    }

    /// <summary>The backport's $status answer for one of the caller's Subscriptions, or null when it has none of that id.</summary>
    public async Task<Bundle?> StatusAsync(string id, string fhirBase, FhirCaller caller, CancellationToken cancellationToken)
    {
        if (await ReadAsync(id, caller, cancellationToken) is not { } found)
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
                var subscription = FhirJson.ParseStored<Subscription>(stored.Json);
                if (subscription.Criteria != Response.PasCodes.SubscriptionTopic)
                {
                    continue;
                }

                try
                {
                    found.Add(PasSubscription.Read(subscription));
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

    /// <summary>
    /// Checks the Subscription (its form, that a provider filters on its own organization, that
    /// this server may reach its endpoint) and makes it active with the backport profile (no
    /// handshake is required by PAS).
    /// </summary>
    private async Task AcceptAsync(Subscription subscription, FhirCaller caller, CancellationToken cancellationToken)
    {
        var accepted = PasSubscription.Read(subscription);
        if (caller.IsProvider && !caller.Organization!.Includes(accepted.OrganizationIdentifier))
        {
            throw FhirHttpException.Forbidden("The subscription's org-identifier filter must name this client's own organization (system|value): a provider subscribes to its own decisions only.", "Subscription.criteria.extension");
        }

        if (await endpoints.ProblemAsync(accepted.Endpoint, cancellationToken) is { } problem)
        {
            throw FhirHttpException.Unprocessable(problem, "Subscription.channel.endpoint", OperationOutcome.IssueType.Value);
        }

        subscription.Status = Subscription.SubscriptionStatus.Active;
        subscription.Error = null;
        subscription.Meta ??= new Meta();
        if (!subscription.Meta.Profile.Contains(BackportCodes.SubscriptionProfile))
        {
            subscription.Meta.Profile = subscription.Meta.Profile.Append(BackportCodes.SubscriptionProfile).ToList();
        }
    }

    /// <summary>channel.header carries the subscriber's credentials: it goes out with notifications only.</summary>
    private static Subscription WithoutSecrets(Subscription subscription)
    {
        subscription.Channel?.HeaderElement.Clear();
        return subscription;
    }
}
