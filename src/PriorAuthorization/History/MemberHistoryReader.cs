using Hl7.Fhir.Model;
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
/// active request that is pended or certified (by $submit or a reviewer's $review), read with the
/// same facts translation as a new request, and for BVNA the levels its answers named. Denied,
/// cancelled and replaced requests are left out: nothing of them is authorized. Every provider's
/// requests count; the viewer decides which of them the decision's words may name.
/// </summary>
internal sealed class MemberHistoryReader(IResourceStore store, PasRequestReader reader, Policy policy) : IMemberHistory
{
    /// <summary>
    /// Bounds the work one decision can cause: the member's newest requests. An older one past it
    /// is not counted; the reviewer still sees the member's requests in the queue.
    /// </summary>
    private const int MaxRequestsRead = 100;

    public async Task<MemberHistory> ReadAsync(string patientId, string? exceptRequestId, HistoryViewer viewer, CancellationToken cancellationToken)
    {
        var page = await store.SearchAsync(new ResourceSearch("ClaimResponse") { PatientIds = [patientId], Statuses = ["active"], Count = MaxRequestsRead }, cancellationToken);
        var services = new List<PriorService>();
        foreach (var stored in page.Resources)
        {
            if (stored.Deleted || stored.Id == exceptRequestId
                || await store.ReadAsync("Bundle", stored.Id, cancellationToken) is not { Deleted: false } request)
            {
                continue;
            }

            PasSubmission submission;
            try
            {
                submission = reader.Read(FhirJson.Parse<Bundle>(request.Json));
            }
            catch (FhirHttpException)
            {
                // Accepted under earlier rules and no longer readable: it decides nothing now.
                continue;
            }

            var response = FhirJson.Parse<ClaimResponse>(stored.Json);
            // Counted whoever filed it; named only to a viewer of the organization it is filed under.
            var shownId = viewer.MayName(OwnerTag.Of(response)) ? stored.Id : null;
            foreach (var item in response.Item)
            {
                var status = ClaimResponseItems.ActionOf(item) switch
                {
                    ReviewAction.Certified => PriorServiceStatus.Certified,
                    ReviewAction.Pended => PriorServiceStatus.Pending,
                    _ => (PriorServiceStatus?)null,
                };
                var line = submission.Lines.FirstOrDefault(l => l.Sequence == item.ItemSequence);
                if (status is null || line is null || line.Cancelled)
                {
                    continue;
                }

                services.Add(new PriorService(shownId, line.Service, status.Value, TreatedLevels(submission, line.Service.CptCode)));
            }
        }

        return new MemberHistory(services);
    }

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
}
