using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// How an appeal is handled. A provider appeals a denial with a new PAS request whose certification
/// type (X12 1322, PAS extension-certificationType, on the Claim or its items) is "1" Appeal –
/// Immediate or "2" Appeal – Standard and whose Claim.related.claim carries the denied request's
/// Claim.identifier. Every item that needs authorization goes to a clinical reviewer: an appeal is
/// a human reconsideration, never decided again by the same automated reading that denied it.
/// </summary>
internal static class AppealRouting
{
    /// <summary>The request being appealed, when it has a denial to appeal; else a 422.</summary>
    public static PasRecord EnsureAppealable(PasRecord prior)
    {
        if (prior.Response.Status == FinancialResourceStatusCodes.Cancelled)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, "Claim.related.claim names a request that was cancelled or replaced; appeal the request that holds the denial.", "Bundle.entry[0].resource.related.claim");
        }

        if (!prior.Response.Item.Any(i => ClaimResponseItems.ActionOf(i) == ReviewAction.NotCertified))
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, "Claim.related.claim names a request with no denied (not certified) item; only a denial can be appealed.", "Bundle.entry[0].resource.related.claim");
        }

        return prior;
    }

    /// <summary>
    /// Pends every item of the appeal that needs authorization for a clinical reviewer. The policy
    /// engine's reading of the appeal's answers stays in the notes, labelled as such, for the reviewer.
    /// </summary>
    public static void SendToReviewer(ClaimResponse response, PasSubmission appeal, string deniedRecordId)
    {
        for (var index = 0; index < response.Item.Count; index++)
        {
            var item = response.Item[index];
            if (ClaimResponseItems.ActionOf(item) is not (ReviewAction.Certified or ReviewAction.NotCertified or ReviewAction.Pended))
            {
                continue;
            }

            foreach (var number in item.NoteNumber)
            {
                if (response.ProcessNote.FirstOrDefault(n => n.Number == number) is { } note)
                {
                    note.Text = $"For the reviewer, the automated reading of the appeal: {note.Text}";
                }
            }

            var sequence = item.ItemSequence ?? 0;
            var code = appeal.Lines.FirstOrDefault(l => l.Sequence == sequence)?.ServiceCode ?? "?";
            var notes = item.NoteNumber.Select(n => n ?? 0).Where(n => n > 0).ToList();
            notes.Add(ClaimResponseBuilder.AddNote(response, $"Item {sequence} ({code}): pended for clinical review: this is an appeal of the denial recorded as ClaimResponse/{deniedRecordId}, and a clinical reviewer decides it."));
            var trace = item.Extension.FirstOrDefault(e => e.Url == PasCodes.ItemTraceNumberUrl);
            response.Item[index] = ClaimResponseItems.Build(sequence, ReviewAction.Pended, [], null, notes, trace);
        }

        response.PreAuthRef = null;
        response.PreAuthPeriod = null;
        ClaimResponseBuilder.Summarize(response);
    }
}
