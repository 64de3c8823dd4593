using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>Creates and reads Subscriptions to the PAS topic, kept in the resource store.</summary>
public sealed class PasSubscriptionService(IResourceStore store, PasOptions options)
{
    /// <summary>Checks the Subscription, activates it and stores it; returns it as stored.</summary>
    public async Task<(Subscription Subscription, StoredResource Stored)> CreateAsync(Subscription subscription, CancellationToken cancellationToken)
    {
        subscription.Id = Guid.NewGuid().ToString("N");
        PasSubscription.Read(subscription, options.AllowHttpSubscriptionEndpoints);

        // The backport lets a server activate a rest-hook subscription it accepts; no handshake is required by PAS.
        subscription.Status = Subscription.SubscriptionStatus.Active;
        subscription.Error = null;
        subscription.Meta ??= new Meta();
        if (!subscription.Meta.Profile.Contains(BackportCodes.SubscriptionProfile))
        {
            subscription.Meta.Profile = subscription.Meta.Profile.Append(BackportCodes.SubscriptionProfile).ToList();
        }

        var saved = await store.SaveAsync([new ResourceWrite(subscription)], cancellationToken);
        return (FhirJson.Parse<Subscription>(saved[0].Json), saved[0]);
    }

    public async Task<(Subscription Subscription, StoredResource Stored)?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var stored = await store.ReadAsync("Subscription", id, cancellationToken);
        return stored is null || stored.Deleted ? null : (FhirJson.Parse<Subscription>(stored.Json), stored);
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
}
