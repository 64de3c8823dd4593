using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// Reads the stored requests of a period for the report. Nothing is counted on the side: each
/// request's outcome and decision time come from its ClaimResponse's version history (the first
/// version without a pended item is the decision), its clock from the Task stored with it.
/// </summary>
internal sealed class RequestHistoryReader(IResourceStore store, PasRecordStore records, MemberCoverageReader coverageReader)
{
    /// <summary>Every request received in the period, oldest first.</summary>
    public async Task<IReadOnlyList<RequestHistory>> ReadReceivedAsync(ReportingPeriod period, CancellationToken cancellationToken)
    {
        var histories = new List<RequestHistory>();
        string? after = null;
        do
        {
            var page = await store.SearchAsync(
                new ResourceSearch("ClaimResponse")
                {
                    CreatedFrom = period.Start,
                    CreatedTo = period.End.AddTicks(-1),
                    NewestFirst = false,
                    Count = ResourceSearch.MaxCount,
                    After = after,
                },
                cancellationToken);
            foreach (var response in page.Resources)
            {
                if (await ReadAsync(response.Id, cancellationToken) is { } history && period.Contains(history.Clock.Received))
                {
                    histories.Add(history);
                }
            }

            after = page.Next;
        }
        while (after is not null);

        return histories;
    }

    /// <summary>
    /// A value that changes whenever a decision is written: the newest ClaimResponse version's time,
    /// id and version (every submit, review, extension, appeal and withdrawal writes one).
    /// </summary>
    public async Task<string> LatestChangeAsync(CancellationToken cancellationToken)
    {
        var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { Count = 1, NewestFirst = true }, cancellationToken);
        if (page.Resources.Count == 0)
        {
            return "none";
        }

        var newest = page.Resources[0];
        return $"{newest.LastUpdated.UtcTicks}/{newest.Id}/{newest.VersionId}";
    }

    /// <summary>One request's history, or null when it is not a complete record.</summary>
    public async Task<RequestHistory?> ReadAsync(string recordId, CancellationToken cancellationToken)
    {
        if (await records.ReadAsync(recordId, cancellationToken) is not { } record)
        {
            return null;
        }

        var (outcome, decidedAt) = await DecisionOfAsync(record, cancellationToken);
        var coverage = StoredRequest.Of(record).Coverage;
        var productLine = (coverage is null ? null : coverageReader.ReadProductLine(coverage).ProductLine) ?? ClaimDecider.UnknownProductLine;
        return new RequestHistory(record.Id, productLine, record.Clock, outcome, decidedAt);
    }

    /// <summary>
    /// Walks the ClaimResponse's versions from the first: the first version with no pended item is
    /// the decision (its items say approved, denied or both; its lastUpdated says when); a version
    /// cancelled before that is a withdrawal.
    /// </summary>
    private async Task<(RequestOutcome Outcome, DateTimeOffset? At)> DecisionOfAsync(PasRecord record, CancellationToken cancellationToken)
    {
        for (var version = 1; version <= record.ResponseVersion; version++)
        {
            if (await store.ReadVersionAsync("ClaimResponse", record.Id, version, cancellationToken) is not { Deleted: false } stored)
            {
                continue;
            }

            var response = FhirJson.ParseStored<ClaimResponse>(stored.Json);
            var at = stored.LastUpdated;
            var actions = response.Item.Select(ClaimResponseItems.ActionOf).ToList();
            if (actions.Contains(ReviewAction.Pended))
            {
                if (response.Status == FinancialResourceStatusCodes.Cancelled)
                {
                    return (RequestOutcome.Withdrawn, at);
                }

                continue;
            }

            return (Classify(actions), at);
        }

        return (RequestOutcome.Pending, null);
    }

    private static RequestOutcome Classify(List<ReviewAction?> actions)
    {
        var certified = actions.Count(a => a == ReviewAction.Certified);
        var denied = actions.Count(a => a == ReviewAction.NotCertified);
        return (certified, denied) switch
        {
            ( > 0, 0) => RequestOutcome.Approved,
            ( > 0, > 0) => RequestOutcome.PartiallyApproved,
            (0, > 0) => RequestOutcome.Denied,
            _ when actions.Count > 0 && actions.All(a => a == ReviewAction.Cancelled) => RequestOutcome.Cancellation,
            _ => RequestOutcome.NotRequired,
        };
    }
}
