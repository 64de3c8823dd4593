using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Security;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Records;

/// <summary>
/// Keeps PAS requests in the shared resource store. One record id names the stored request Bundle,
/// its Claim and its ClaimResponse, so any of them finds the others. Every resource of a record is
/// filed under the submitting organization (<see cref="OwnerTag"/>). The Claim's and the Bundle's
/// identifiers, qualified by that organization, are unique keys: the store refuses a second record
/// for the same request of the same submitter, which is what makes two racing identical submits
/// produce one response, while another organization using the same identifier gets a record of its own.
/// The record's decision clock (<see cref="DecisionClockTask"/>) is written in the same transaction
/// as every ClaimResponse version that moves it.
/// </summary>
public sealed class PasRecordStore(IResourceStore store, INotificationOutbox outbox, DecisionDeadline deadline)
{
    public static string ClaimKey(string? owner, string identifierKey) => $"pas-claim:{owner}#{identifierKey}";

    public static string BundleKey(string? owner, string identifierKey) => $"pas-bundle:{owner}#{identifierKey}";

    /// <summary>The record id of this submitter's earlier request with this Claim identifier (or Bundle identifier).</summary>
    public async Task<string?> FindIdAsync(string? owner, string claimIdentifierKey, string? bundleIdentifierKey, CancellationToken cancellationToken)
    {
        if (await store.FindByUniqueKeyAsync("Claim", ClaimKey(owner, claimIdentifierKey), cancellationToken) is { } claim)
        {
            return claim.Id;
        }

        if (bundleIdentifierKey is not null && await store.FindByUniqueKeyAsync("Bundle", BundleKey(owner, bundleIdentifierKey), cancellationToken) is { } bundle)
        {
            return bundle.Id;
        }

        return null;
    }

    /// <summary>The ids of every record, whoever submitted it, whose Claim carries this identifier (for $inquire).</summary>
    public async Task<IReadOnlyList<string>> FindIdsByClaimIdentifierAsync(Identifier identifier, CancellationToken cancellationToken)
    {
        var page = await store.SearchAsync(new ResourceSearch("Claim") { Identifiers = [[new IdentifierToken(identifier.System, identifier.Value)]], Count = 50 }, cancellationToken);
        return page.Resources.Where(r => !r.Deleted).Select(r => r.Id).ToList();
    }

    public async Task<PasRecord?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var response = await store.ReadAsync("ClaimResponse", id, cancellationToken);
        var request = await store.ReadAsync("Bundle", id, cancellationToken);
        if (response is null || request is null || response.Deleted)
        {
            return null;
        }

        return await AssembleAsync(id, request, response, cancellationToken);
    }

    /// <summary>The record with the ClaimResponse as it was at one version (what a notification announces).</summary>
    public async Task<PasRecord?> ReadVersionAsync(string id, int responseVersion, CancellationToken cancellationToken)
    {
        var response = await store.ReadVersionAsync("ClaimResponse", id, responseVersion, cancellationToken);
        var request = await store.ReadAsync("Bundle", id, cancellationToken);
        if (response is null || request is null || response.Deleted)
        {
            return null;
        }

        return await AssembleAsync(id, request, response, cancellationToken);
    }

    /// <summary>
    /// Saves a new request in one transaction: request Bundle, Claim, ClaimResponse, its decision
    /// clock, the QuestionnaireResponses, and the new versions of any earlier record the request
    /// changes (an update withdraws the one it replaces; an appeal notes itself on the denial).
    /// Throws <see cref="DuplicateKeyException"/> when the same request was saved meanwhile.
    /// Returns the stored ClaimResponse version.
    /// </summary>
    public async Task<StoredResource> SaveNewAsync(
        string id,
        Bundle request,
        Claim claim,
        ClaimResponse response,
        DecisionClock clock,
        IEnumerable<QuestionnaireResponse> questionnaireResponses,
        string? owner,
        string claimIdentifierKey,
        string? bundleIdentifierKey,
        IReadOnlyList<PasRecord> changed,
        CancellationToken cancellationToken)
    {
        var storedRequest = Filed(request, id, owner);
        var storedClaim = Filed(claim, id, owner);
        OwnerTag.Set(response, owner);

        var writes = new List<ResourceWrite>
        {
            new(storedRequest, bundleIdentifierKey is null ? null : BundleKey(owner, bundleIdentifierKey)),
            new(storedClaim, ClaimKey(owner, claimIdentifierKey)),
            new(response),
            new(ClockTask(id, clock, owner)),
        };
        foreach (var qr in questionnaireResponses)
        {
            writes.Add(new ResourceWrite(Filed(qr, id: null, owner)));
        }

        foreach (var earlier in changed)
        {
            writes.Add(new ResourceWrite(earlier.Response, IfMatchVersion: earlier.ResponseVersion));
            writes.Add(new ResourceWrite(ClockTask(earlier.Id, earlier.Clock, owner)));
        }

        var saved = await store.SaveAsync(writes, cancellationToken);
        return saved[2];
    }

    /// <summary>
    /// The requests waiting for a reviewer: current, active ClaimResponses whose outcome is
    /// "partial" (some item pended, see ClaimResponseBuilder.Summarize), found through the store's
    /// outcome index, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public async Task<IReadOnlyList<PasRecord>> ListPendedAsync(int limit, CancellationToken cancellationToken)
    {
        var records = new List<PasRecord>();
        string? after = null;
        do
        {
            var page = await store.SearchAsync(
                new ResourceSearch("ClaimResponse")
                {
                    Outcome = "partial",
                    Statuses = ["active"],
                    NewestFirst = false,
                    Count = Math.Min(limit - records.Count, ResourceSearch.MaxCount),
                    After = after,
                },
                cancellationToken);
            foreach (var response in page.Resources)
            {
                if (await store.ReadAsync("Bundle", response.Id, cancellationToken) is { Deleted: false } request)
                {
                    records.Add(await AssembleAsync(response.Id, request, response, cancellationToken));
                }
            }

            after = page.Next;
        }
        while (after is not null && records.Count < limit);

        return records;
    }

    /// <summary>The member's other requests (by the patient id their responses name), newest first.</summary>
    public async Task<IReadOnlyList<PasRecord>> ListForPatientAsync(string patientId, int limit, CancellationToken cancellationToken)
    {
        var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { PatientIds = [patientId], Count = limit }, cancellationToken);
        var records = new List<PasRecord>(page.Resources.Count);
        foreach (var response in page.Resources)
        {
            if (await store.ReadAsync("Bundle", response.Id, cancellationToken) is { Deleted: false } request)
            {
                records.Add(await AssembleAsync(response.Id, request, response, cancellationToken));
            }
        }

        return records;
    }

    /// <summary>
    /// Writes a new version of a ClaimResponse, and the decision clock it moves, if nobody changed the
    /// response since it was read; queues the notifications announcing it in the same transaction:
    /// all of it happens, or none.
    /// </summary>
    public async Task<int> SaveResponseAsync(PasRecord record, ClaimResponse response, DecisionClock clock, IReadOnlyList<NotificationEvent> notifications, CancellationToken cancellationToken)
    {
        var writes = new List<ResourceWrite>
        {
            new(response, IfMatchVersion: record.ResponseVersion),
            new(ClockTask(record.Id, clock, OwnerTag.Of(response))),
        };
        var saved = await outbox.SaveAndQueueAsync(writes, notifications, cancellationToken);
        return saved[0].VersionId;
    }

    /// <summary>The record's parts read from the store; a record saved before clocks were kept gets one reconstructed from its Claim.</summary>
    private async Task<PasRecord> AssembleAsync(string id, StoredResource request, StoredResource response, CancellationToken cancellationToken)
    {
        var bundle = FhirJson.ParseStored<Bundle>(request.Json);
        var claimResponse = FhirJson.ParseStored<ClaimResponse>(response.Json);
        var task = await store.ReadAsync("Task", id, cancellationToken);
        var clock = task is { Deleted: false }
            ? DecisionClockTask.FromTask(FhirJson.ParseStored<Hl7.Fhir.Model.Task>(task.Json))
            : Reconstructed(bundle, claimResponse);
        return new PasRecord(id, bundle, claimResponse, response.VersionId, clock);
    }

    private DecisionClock Reconstructed(Bundle request, ClaimResponse response)
    {
        var received = response.CreatedElement is { } created && created.TryToDateTimeOffset(TimeSpan.Zero, out var at) ? at : DateTimeOffset.UnixEpoch;
        var claim = request.Entry.FirstOrDefault()?.Resource as Claim ?? new Claim();
        return deadline.Start(received, claim, appealOf: null);
    }

    /// <summary>
    /// The caller's resource as this record files it: its own id and the owner's tag, on a copy of
    /// the resource and its Meta only. The request's resources are answered from and echoed after
    /// the save, so they are left as they came; nothing below Meta is changed, so nothing below it
    /// is copied (a deep copy of the request Bundle was 5 % of a submit's allocations).
    /// </summary>
    private static T Filed<T>(T resource, string? id, string? owner) where T : Resource
    {
        var copy = FhirShallowCopy.WithOwnIdAndMeta(resource, id);
        OwnerTag.Set(copy, owner);
        return copy;
    }

    private static Hl7.Fhir.Model.Task ClockTask(string id, DecisionClock clock, string? owner)
    {
        var task = DecisionClockTask.ToTask(id, clock);
        OwnerTag.Set(task, owner);
        return task;
    }
}
