using Hl7.Fhir.Model;
using Microsoft.Extensions.Caching.Memory;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.History;

/// <summary>
/// The member's stored prior-authorization requests as history (P7.16, P8): every item of an
/// active request that is pended, certified (by $submit or a reviewer's $review) or answered that
/// it needs no prior authorization (an epidural on a Medicare Advantage line goes ahead all the
/// same), read with the same facts translation as a new request, and for BVNA the levels its
/// answers named. Denied, cancelled and replaced requests are left out: nothing of them is
/// authorized. Every provider's
/// requests count; the viewer decides which of them the decision's words may name.
/// </summary>
internal sealed class MemberHistoryReader(IResourceStore store, PasRequestReader reader, Policy policy) : IMemberHistory, IDisposable
{
    /// <summary>
    /// Bounds the work one decision can cause: the member's newest requests. An older one past it
    /// is not counted; the reviewer still sees the member's requests in the queue.
    /// </summary>
    private const int MaxRequestsRead = 100;

    /// <summary>Requests read as history, by ClaimResponse id and version; bounded so a busy payer's history never grows the heap without end.</summary>
    private readonly MemoryCache _records = new(new MemoryCacheOptions { SizeLimit = 20_000 });

    public async Task<MemberHistory> ReadAsync(string patientId, string? exceptRequestId, HistoryViewer viewer, CancellationToken cancellationToken)
    {
        var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { PatientIds = [patientId], Statuses = ["active"], Count = MaxRequestsRead }, cancellationToken);
        var services = new List<PriorService>();
        foreach (var stored in page.Resources)
        {
            if (stored.Deleted || stored.Id == exceptRequestId
                || await ReadRecordAsync(stored, cancellationToken) is not { } record)
            {
                continue;
            }

            // Counted whoever filed it; named only to a viewer of the organization it is filed under.
            var shownId = viewer.MayName(record.Owner) ? stored.Id : null;
            services.AddRange(record.Items.Select(item => new PriorService(shownId, item.Service, item.Status, item.TreatedLevels)));
        }

        return new MemberHistory(services);
    }

    /// <summary>
    /// One stored request as history, read once per version of its ClaimResponse: a version never
    /// changes and the request Bundle is written once, so what was read stays true. Without this a
    /// member with many requests cost every later decision for them one Bundle read and two FHIR
    /// parses per request (about 150 ms of CPU per $submit at the 100-request bound).
    /// </summary>
    private async Task<HistoryRecord?> ReadRecordAsync(StoredResource stored, CancellationToken cancellationToken)
    {
        var key = (stored.Id, stored.VersionId);
        if (_records.TryGetValue(key, out HistoryRecord? known))
        {
            return known;
        }

        if (await store.ReadAsync("Bundle", stored.Id, cancellationToken) is not { Deleted: false } request)
        {
            return null;
        }

        PasSubmission submission;
        try
        {
            submission = reader.Read(FhirJson.ParseStored<Bundle>(request.Json));
        }
        catch (Exception ex) when (ex is FhirHttpException or Hl7.Fhir.Serialization.DeserializationFailedException)
        {
            // Accepted under earlier rules and no longer readable: it decides nothing now.
            return null;
        }

        var response = FhirJson.ParseStored<ClaimResponse>(stored.Json);
        var items = new List<HistoryItem>();
        foreach (var item in response.Item)
        {
            var status = ClaimResponseItems.ActionOf(item) switch
            {
                ReviewAction.Certified => PriorServiceStatus.Certified,
                ReviewAction.Pended => PriorServiceStatus.Pending,
                ReviewAction.NoActionRequired => PriorServiceStatus.NoAuthorizationRequired,
                _ => (PriorServiceStatus?)null,
            };
            var line = submission.Lines.FirstOrDefault(l => l.Sequence == item.ItemSequence);
            if (status is null || line is null || line.Cancelled)
            {
                continue;
            }

            items.Add(new HistoryItem(line.Service, status.Value, TreatedLevels(submission, line.Service.CptCode)));
        }

        var record = new HistoryRecord(OwnerTag.Of(response), items);
        _records.Set(key, record, new MemoryCacheEntryOptions { Size = 1 });
        return record;
    }

    public void Dispose() => _records.Dispose();

    /// <summary>P7.16: the levels the request's answers planned to treat, for a family that compares levels.</summary>
    private IReadOnlyList<string> TreatedLevels(PasSubmission submission, string cptCode)
    {
        if (policy.FamilyOf(cptCode) is not { } family
            || policy.RepeatTreatmentExclusion(family.Code)?.Rule?.Criterion is not { } planned
            || !submission.AnswersByFamily.TryGetValue(family.Code, out var answers)
            || !answers.TryGetValue(planned, out var answer)
            || answer is not CodesAnswer levels)
        {
            return [];
        }

        return levels.Codes;
    }

    private sealed record HistoryRecord(string? Owner, IReadOnlyList<HistoryItem> Items);

    private sealed record HistoryItem(OrderedService Service, PriorServiceStatus Status, IReadOnlyList<string> TreatedLevels);
}
