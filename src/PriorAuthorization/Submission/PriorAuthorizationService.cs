using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.Storage;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>Claim/$submit and Claim/$inquire: read, decide, record, answer.</summary>
public sealed partial class PriorAuthorizationService(
    PasRequestReader reader,
    ClaimDecider decider,
    ClaimResponseBuilder builder,
    PasRecordStore records,
    IEnumerable<ICoverageAssertionStore> assertionStores,
    TimeProvider clock,
    ILogger<PriorAuthorizationService> logger)
{
    public async Task<SubmitOutcome> SubmitAsync(Bundle bundle, string fhirBase, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var submission = reader.Read(bundle);

        if (await records.FindIdAsync(submission.ClaimKey, submission.BundleKey, cancellationToken) is { } existingId)
        {
            return await RepeatAsync(existingId, bundle, fhirBase, cancellationToken);
        }

        PasRecord? replaced = null;
        if (submission.ReplacesClaimKey is { } priorKey)
        {
            var priorId = await records.FindIdAsync(priorKey, null, cancellationToken)
                ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"Claim.related.claim names '{priorKey}', a request this payer has no record of.", "Bundle.entry[0].resource.related.claim");
            replaced = await records.ReadAsync(priorId, cancellationToken)
                ?? throw new InvalidOperationException($"Record {priorId} is keyed but cannot be read.");
        }

        var decisions = decider.Decide(submission);
        var id = ResourceStamp.NewId();
        var now = clock.GetUtcNow();
        var (assertionNotes, assertionIds) = await LinkAssertionsAsync(submission, cancellationToken);
        var response = builder.Build(id, submission, decisions, assertionNotes, now);
        foreach (var assertionId in assertionIds)
        {
            response.Meta!.Tag.Add(new Coding(CoverageAssertionIds.System, assertionId));
        }

        if (replaced is not null)
        {
            // PAS update: the earlier request is superseded; its response stays readable, marked so.
            replaced.Response.Status = FinancialResourceStatusCodes.Cancelled;
            ClaimResponseBuilder.AddNote(replaced.Response, $"Replaced by the updated request {submission.ClaimKey} (ClaimResponse/{id}).");
            ClaimResponseBuilder.AddNote(response, $"This request replaces the earlier request recorded as ClaimResponse/{replaced.Id}.");
        }

        try
        {
            var stored = await records.SaveNewAsync(id, bundle, submission.Claim, response, submission.QuestionnaireResponses, submission.ClaimKey, submission.BundleKey, replaced, cancellationToken);
            response.Meta!.VersionId = stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Meta.LastUpdated = stored.LastUpdated;
        }
        catch (DuplicateKeyException)
        {
            // An identical submit won the race: answer with its response, create nothing.
            var winner = await records.FindIdAsync(submission.ClaimKey, submission.BundleKey, cancellationToken)
                ?? throw new InvalidOperationException("A duplicate key was reported but no record holds it.");
            return await RepeatAsync(winner, bundle, fhirBase, cancellationToken);
        }

        var outcomeCode = response.Outcome?.ToString() ?? "none";
        var elapsedMs = clock.GetElapsedTime(started).TotalMilliseconds;
        LogSubmitted(logger, id, decisions.Count, outcomeCode, elapsedMs);
        return new SubmitOutcome(PasResponseBundleBuilder.Build(response, bundle, fhirBase, now), id, Created: true);
    }

    /// <summary>The current state of an earlier request named by the inquiry's Claim.identifier.</summary>
    public async Task<Bundle?> InquireAsync(Bundle inquiry, string fhirBase, CancellationToken cancellationToken)
    {
        if (inquiry.Entry.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The inquiry Bundle has no entries; it starts with the Claim being asked about.", "Bundle.entry");
        }

        if (inquiry.Entry[0].Resource is not Claim claim)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, $"The first entry of a PAS inquiry Bundle must be the Claim, not {inquiry.Entry[0].Resource?.TypeName ?? "an empty entry"}.", "Bundle.entry[0].resource");
        }

        var keys = claim.Identifier.Select(PasRequestReader.IdentifierKey).OfType<string>().ToList();
        if (keys.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The inquiry's Claim.identifier is required: it names the request asked about.", "Bundle.entry[0].resource.identifier");
        }

        foreach (var key in keys)
        {
            if (await records.FindIdAsync(key, null, cancellationToken) is { } id
                && await records.ReadAsync(id, cancellationToken) is { } record
                && SamePatient(inquiry, claim, record.Request))
            {
                LogInquired(logger, id);
                return PasResponseBundleBuilder.Build(record.Response, record.Request, fhirBase, clock.GetUtcNow(), inquiry: true);
            }
        }

        return null;
    }

    /// <summary>
    /// An inquiry must be about the same member: when both sides identify the patient, one identifier
    /// must agree; otherwise the request is treated as not found (no hint that it exists).
    /// </summary>
    private static bool SamePatient(Bundle inquiry, Claim inquiryClaim, Bundle stored)
    {
        var asked = new BundleReferenceResolver(inquiry).ResolveResource(inquiryClaim.Patient, inquiry.Entry[0]) as Patient;
        var storedClaim = stored.Entry[0].Resource as Claim;
        var known = storedClaim is null ? null : new BundleReferenceResolver(stored).ResolveResource(storedClaim.Patient, stored.Entry[0]) as Patient;
        if (asked is null || known is null || asked.Identifier.Count == 0 || known.Identifier.Count == 0)
        {
            return true;
        }

        return asked.Identifier.Any(a => known.Identifier.Any(k => k.System == a.System && k.Value == a.Value));
    }

    /// <summary>
    /// A submit reusing a recorded request's Claim or Bundle identifier: the recorded answer when it
    /// asks the same thing; else a 422, never the earlier decision for content it did not judge.
    /// </summary>
    private async Task<SubmitOutcome> RepeatAsync(string id, Bundle incoming, string fhirBase, CancellationToken cancellationToken)
    {
        var record = await records.ReadAsync(id, cancellationToken)
            ?? throw new InvalidOperationException($"Record {id} is keyed but cannot be read.");
        if (!SameRequest.Holds(record.Request, incoming))
        {
            throw new FhirHttpException(
                StatusCodes.Status422UnprocessableEntity,
                OperationOutcome.IssueType.Duplicate,
                "A request with this Claim or Bundle identifier was already decided with different content. To change it, submit an update: a new Claim.identifier, with Claim.related.claim naming the earlier one.",
                "Bundle.entry[0].resource.identifier");
        }

        LogRepeated(logger, id);
        return new SubmitOutcome(PasResponseBundleBuilder.Build(record.Response, record.Request, fhirBase, clock.GetUtcNow()), id, Created: false);
    }

    private async Task<(List<string> Notes, List<string> Ids)> LinkAssertionsAsync(PasSubmission submission, CancellationToken cancellationToken)
    {
        var notes = new List<string>();
        var ids = new List<string>();
        // CRD's store is optional: without it every link is reported as unknown, never an error.
        var assertions = assertionStores.FirstOrDefault();
        foreach (var line in submission.Lines.Where(l => l.CoverageAssertionId is not null))
        {
            var assertion = assertions is null ? null : await assertions.FindAsync(line.CoverageAssertionId!, cancellationToken);
            if (assertion is null)
            {
                notes.Add($"Item {line.Sequence}: the order carries CRD coverage assertion '{line.CoverageAssertionId}', which this payer has no record of; the item was decided on the claim alone.");
                continue;
            }

            ids.Add(assertion.AssertionId);
            notes.Add($"Item {line.Sequence} is linked to CRD coverage assertion '{assertion.AssertionId}' ({assertion.Hook}, {assertion.AssertedAt:yyyy-MM-dd}: covered {assertion.Covered}, pa-needed {assertion.PaNeeded ?? "not stated"}, policy version {assertion.PolicyVersion}).");
        }

        return (notes, ids);
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "PAS request {RecordId} decided: {ItemCount} item(s), outcome {Outcome}, {ElapsedMs:0.0} ms")]
    private static partial void LogSubmitted(ILogger logger, string recordId, int itemCount, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "PAS request {RecordId} resubmitted; the recorded response is returned")]
    private static partial void LogRepeated(ILogger logger, string recordId);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "PAS inquiry answered from record {RecordId}")]
    private static partial void LogInquired(ILogger logger, string recordId);
}
