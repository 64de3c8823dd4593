using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.PriorAuthorization.Impact;

/// <summary>
/// P13: re-decides every stored, not withdrawn prior-authorization request under two policy
/// versions with the same engine $submit uses, and reports the lines whose action differs. Both
/// versions are applied as if in force on every date of service, so the report shows what the
/// rules change, not where their effective dates fall. Reviewers' decisions are not compared: both
/// sides are the automatic decision. Nothing is written.
/// </summary>
internal sealed class PolicyImpactAnalyzer(
    IResourceStore store,
    PasRecordStore records,
    PasRequestReader reader,
    IMemberHistory memberHistory,
    MemberCoverageReader coverageReader,
    UngovernedServices ungoverned)
{
    public async Task<PolicyImpactReport> CompareAsync(Policy current, Policy candidate, CancellationToken cancellationToken)
    {
        var before = Decider(current);
        var after = Decider(candidate);
        var changes = new Dictionary<(string ProductLine, string Code, string From, string To), SortedSet<string>>();
        var counts = new Dictionary<(string, string, string, string), int>();
        var skipped = new List<PolicyImpactSkip>();
        int requests = 0, lines = 0, changed = 0;

        await foreach (var record in StoredRequestsAsync(cancellationToken))
        {
            if (record.Response.Status == FinancialResourceStatusCodes.Cancelled)
            {
                continue;
            }

            PasSubmission submission;
            IReadOnlyList<LineDecision> was, would;
            try
            {
                submission = reader.Read(record.Request);
                var patientId = SearchColumnExtractor.PatientIdFrom(new ResourceReference(submission.PatientEntry.FullUrl)) ?? submission.Patient.Id;
                // The member's other requests as held today (P7.16, P8), never this one.
                var history = string.IsNullOrEmpty(patientId) ? MemberHistory.None : await memberHistory.ReadAsync(patientId, record.Id, HistoryViewer.Payer, cancellationToken);
                was = before.Decide(submission, history);
                would = after.Decide(submission, history);
            }
            catch (FhirHttpException ex)
            {
                skipped.Add(new PolicyImpactSkip(record.Id, ex.Message));
                continue;
            }

            requests++;
            var productLine = coverageReader.ReadProductLine(submission.Coverage).ProductLine ?? ClaimDecider.UnknownProductLine;
            for (var i = 0; i < was.Count; i++)
            {
                if (was[i].Action == ReviewAction.Cancelled)
                {
                    continue;
                }

                lines++;
                var from = was[i].Action.X12().Code;
                var to = would[i].Action.X12().Code;
                if (from == to)
                {
                    continue;
                }

                changed++;
                var key = (productLine, was[i].Line.ServiceCode, from, to);
                if (!changes.TryGetValue(key, out var ids))
                {
                    changes[key] = ids = new SortedSet<string>(StringComparer.Ordinal);
                }

                ids.Add(record.Id);
                counts[key] = counts.GetValueOrDefault(key) + 1;
            }
        }

        var report = changes
            .OrderBy(c => c.Key.ProductLine, StringComparer.Ordinal)
            .ThenBy(c => c.Key.Code, StringComparer.Ordinal)
            .ThenBy(c => c.Key.From, StringComparer.Ordinal)
            .ThenBy(c => c.Key.To, StringComparer.Ordinal)
            .Select(c => new PolicyImpactChange(c.Key.ProductLine, c.Key.Code, c.Key.From, c.Key.To, counts[c.Key], [.. c.Value]))
            .ToList();
        return new PolicyImpactReport(current.VersionedUrl, candidate.VersionedUrl, requests, lines, changed, report, skipped);
    }

    private ClaimDecider Decider(Policy policy) =>
        new(new NecessityEngine(PolicyTimeline.Of(policy.AsInForceFrom(DateOnly.MinValue)), ungoverned), coverageReader);

    private async IAsyncEnumerable<PasRecord> StoredRequestsAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        string? after = null;
        do
        {
            var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { NewestFirst = false, Count = ResourceSearch.MaxCount, After = after }, cancellationToken);
            foreach (var response in page.Resources.Where(r => !r.Deleted))
            {
                if (await records.ReadAsync(response.Id, cancellationToken) is { } record)
                {
                    yield return record;
                }
            }

            after = page.Next;
        }
        while (after is not null);
    }
}
