using Hl7.Fhir.Model;
using SpinePolicy.Storage.Notifications;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>The notification outbox and deletes, on every provider.</summary>
public abstract partial class StoreContractTests
{
    private const string FhirBase = "https://payer.example.org/fhir";

    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    private static ClaimResponse Decision(string id) => new()
    {
        Id = id,
        Status = FinancialResourceStatusCodes.Active,
        Patient = new ResourceReference($"Patient/{Resources.NewPatientId()}"),
    };

    private static NotificationEvent Event(string subscriptionId, string focusId) => new(subscriptionId, "ClaimResponse", focusId, FhirBase);

    [Fact]
    public async Task Outbox_EventsQueuedWithTheirDecision_NumberedPerSubscriptionAndDeliveredInOrder()
    {
        await using var store = await OpenFreshAsync();
        var (first, second, other) = (NewId(), NewId(), NewId());
        var decision = await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(first))], [Event("sub-a" + first, first), Event("sub-b" + first, first)], Cancel);
        await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(second))], [Event("sub-a" + first, second)], Cancel);
        await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(other))], [], Cancel);

        var claimed = await store.Outbox.ClaimDueAsync(10, Lease, Cancel);

        // Only the oldest waiting event of each subscription: a subscriber gets them in order.
        Assert.Equal(2, claimed.Count);
        var a = Assert.Single(claimed, n => n.SubscriptionId == "sub-a" + first);
        Assert.Equal((1L, first, decision[0].VersionId, 1), (a.EventNumber, a.FocusId, a.FocusVersion, a.Attempt));
        Assert.Equal(FhirBase, a.FhirBase);
        Assert.Equal(2, await store.Outbox.EventCountAsync("sub-a" + first, Cancel));
        Assert.Equal(1, await store.Outbox.EventCountAsync("sub-b" + first, Cancel));
        Assert.Equal(0, await store.Outbox.EventCountAsync("sub-none", Cancel));
        Assert.Equal(3, (await store.Outbox.BacklogAsync(Cancel)).Waiting);

        await store.Outbox.CompleteAsync(a.Id, Cancel);
        var next = Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));
        Assert.Equal((2L, second), (next.EventNumber, next.FocusId));
    }

    [Fact]
    public async Task Outbox_DecisionThatFails_QueuesNothingAndTakesNoNumber()
    {
        await using var store = await OpenFreshAsync();
        var id = NewId();
        await store.Resources.SaveAsync([new ResourceWrite(Decision(id))], Cancel);

        await Assert.ThrowsAsync<VersionConflictException>(() =>
            store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(id), IfMatchVersion: 7)], [Event("sub-" + id, id)], Cancel));

        Assert.Empty(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));
        Assert.Equal(0, await store.Outbox.EventCountAsync("sub-" + id, Cancel));
        Assert.Equal(1, (await store.Resources.ReadAsync("ClaimResponse", id, Cancel))!.VersionId);
    }

    [Fact]
    public async Task Outbox_ClaimedNotification_IsNotClaimedAgainUntilItsLeaseRunsOut()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var store = await OpenFreshAsync(clock);
        var id = NewId();
        await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(id))], [Event("sub-" + id, id)], Cancel);

        Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));
        Assert.Empty(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));

        // The instance holding the claim died: after the lease another one takes it over.
        clock.Advance(Lease + TimeSpan.FromSeconds(1));
        var again = Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));
        Assert.Equal(2, again.Attempt);
    }

    [Fact]
    public async Task Outbox_RetryLater_IsDueAgainOnlyAtItsTime()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        await using var store = await OpenFreshAsync(clock);
        var id = NewId();
        await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(id))], [Event("sub-" + id, id)], Cancel);
        var claimed = Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));

        await store.Outbox.RetryLaterAsync(claimed.Id, clock.GetUtcNow().AddSeconds(30), "HTTP 503", Cancel);

        Assert.Empty(await store.Outbox.ClaimDueAsync(10, Lease, Cancel));
        clock.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(claimed.Id, Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel)).Id);
    }

    [Fact]
    public async Task Outbox_Discard_RemovesOnlyThatSubscriptionsNotifications()
    {
        await using var store = await OpenFreshAsync();
        var id = NewId();
        await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(id))], [Event("dead-" + id, id), Event("alive-" + id, id)], Cancel);

        Assert.Equal(1, await store.Outbox.DiscardAsync("dead-" + id, Cancel));

        Assert.Equal("alive-" + id, Assert.Single(await store.Outbox.ClaimDueAsync(10, Lease, Cancel)).SubscriptionId);
    }

    [Fact]
    public async Task Outbox_ConcurrentDecisionsForOneSubscription_GetDistinctIncreasingNumbers()
    {
        await using var store = await OpenFreshAsync();
        var subscription = "sub-" + NewId();

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            var id = NewId();
            await store.Outbox.SaveAndQueueAsync([new ResourceWrite(Decision(id))], [Event(subscription, id)], Cancel);
        })));

        var numbers = new List<long>();
        while ((await store.Outbox.ClaimDueAsync(10, Lease, Cancel)) is [var next])
        {
            numbers.Add(next.EventNumber);
            await store.Outbox.CompleteAsync(next.Id, Cancel);
        }

        Assert.Equal(Enumerable.Range(1, 16).Select(n => (long)n), numbers);
        Assert.Equal(16, await store.Outbox.EventCountAsync(subscription, Cancel));
    }

    [Fact]
    public async Task Delete_CurrentResource_GoneFromReadsSearchesAndKeysButKeptInHistory()
    {
        await using var store = await OpenFreshAsync();
        var patient = Resources.NewPatientId();
        var key = Guid.NewGuid().ToString("N");
        var saved = (await store.Resources.SaveAsync([new ResourceWrite(Resources.Claim(patient, identifier: key), UniqueKey: key)], Cancel))[0];

        Assert.True(await store.Resources.DeleteAsync("Claim", saved.Id, Cancel));

        Assert.Null(await store.Resources.ReadAsync("Claim", saved.Id, Cancel));
        Assert.Empty((await store.Resources.SearchAsync(new ResourceSearch("Claim") { PatientIds = [patient] }, Cancel)).Resources);
        Assert.Empty((await store.Resources.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new IdentifierToken(null, key)]] }, Cancel)).Resources);
        Assert.Null(await store.Resources.FindByUniqueKeyAsync("Claim", key, Cancel));
        var tombstone = await store.Resources.ReadVersionAsync("Claim", saved.Id, 2, Cancel);
        Assert.True(tombstone!.Deleted);
        Assert.False((await store.Resources.ReadVersionAsync("Claim", saved.Id, 1, Cancel))!.Deleted);
        Assert.False(await store.Resources.DeleteAsync("Claim", saved.Id, Cancel));
    }

    private static string NewId() => Guid.NewGuid().ToString("N");
}
