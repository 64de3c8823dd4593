using Hl7.Fhir.Model;
using Task = System.Threading.Tasks.Task;
using SpinePolicy.Fhir;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Notifications;

namespace SpinePolicy.PriorAuthorization.Records;

/// <summary>
/// Keeps PAS requests in the shared resource store. One record id names the stored request Bundle,
/// its Claim and its ClaimResponse, so any of them finds the others. The Claim's and the Bundle's
/// identifiers are unique keys: the store refuses a second record for the same request, which is what
/// makes two racing identical submits produce one response.
/// </summary>
public sealed class PasRecordStore(IResourceStore store, INotificationOutbox outbox)
{
    public static string ClaimKey(string identifierKey) => $"pas-claim:{identifierKey}";

    public static string BundleKey(string identifierKey) => $"pas-bundle:{identifierKey}";

    /// <summary>The record id of an earlier request with this Claim identifier (or Bundle identifier).</summary>
    public async Task<string?> FindIdAsync(string claimIdentifierKey, string? bundleIdentifierKey, CancellationToken cancellationToken)
    {
        if (await store.FindByUniqueKeyAsync("Claim", ClaimKey(claimIdentifierKey), cancellationToken) is { } claim)
        {
            return claim.Id;
        }

        if (bundleIdentifierKey is not null && await store.FindByUniqueKeyAsync("Bundle", BundleKey(bundleIdentifierKey), cancellationToken) is { } bundle)
        {
            return bundle.Id;
        }

        return null;
    }

    public async Task<PasRecord?> ReadAsync(string id, CancellationToken cancellationToken)
    {
        var response = await store.ReadAsync("ClaimResponse", id, cancellationToken);
        var request = await store.ReadAsync("Bundle", id, cancellationToken);
        if (response is null || request is null || response.Deleted)
        {
            return null;
        }

        return new PasRecord(id, FhirJson.Parse<Bundle>(request.Json), FhirJson.Parse<ClaimResponse>(response.Json), response.VersionId);
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

        return new PasRecord(id, FhirJson.Parse<Bundle>(request.Json), FhirJson.Parse<ClaimResponse>(response.Json), response.VersionId);
    }

    /// <summary>
    /// Saves a new request in one transaction: request Bundle, Claim, ClaimResponse, the
    /// QuestionnaireResponses, and (for an update) the new version of the replaced ClaimResponse.
    /// Throws <see cref="DuplicateKeyException"/> when the same request was saved meanwhile.
    /// Returns the stored ClaimResponse version.
    /// </summary>
    public async Task<StoredResource> SaveNewAsync(
        string id,
        Bundle request,
        Claim claim,
        ClaimResponse response,
        IEnumerable<QuestionnaireResponse> questionnaireResponses,
        string claimIdentifierKey,
        string? bundleIdentifierKey,
        PasRecord? replaced,
        CancellationToken cancellationToken)
    {
        var storedRequest = (Bundle)request.DeepCopy();
        storedRequest.Id = id;
        var storedClaim = (Claim)claim.DeepCopy();
        storedClaim.Id = id;

        var writes = new List<ResourceWrite>
        {
            new(storedRequest, bundleIdentifierKey is null ? null : BundleKey(bundleIdentifierKey)),
            new(storedClaim, ClaimKey(claimIdentifierKey)),
            new(response),
        };
        foreach (var qr in questionnaireResponses)
        {
            var copy = (QuestionnaireResponse)qr.DeepCopy();
            copy.Id = null;
            writes.Add(new ResourceWrite(copy));
        }

        if (replaced is not null)
        {
            writes.Add(new ResourceWrite(replaced.Response, IfMatchVersion: replaced.ResponseVersion));
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
                    records.Add(new PasRecord(response.Id, FhirJson.Parse<Bundle>(request.Json), FhirJson.Parse<ClaimResponse>(response.Json), response.VersionId));
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
                records.Add(new PasRecord(response.Id, FhirJson.Parse<Bundle>(request.Json), FhirJson.Parse<ClaimResponse>(response.Json), response.VersionId));
            }
        }

        return records;
    }

    /// <summary>
    /// Writes a new version of a ClaimResponse if nobody changed it since it was read, and queues
    /// the notifications announcing it in the same transaction: both happen, or neither.
    /// </summary>
    public async Task<int> SaveResponseAsync(ClaimResponse response, int ifMatchVersion, IReadOnlyList<NotificationEvent> notifications, CancellationToken cancellationToken)
    {
        var saved = await outbox.SaveAndQueueAsync([new ResourceWrite(response, IfMatchVersion: ifMatchVersion)], notifications, cancellationToken);
        return saved[0].VersionId;
    }
}
