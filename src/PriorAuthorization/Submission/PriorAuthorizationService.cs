using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Indexing;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>Claim/$submit and Claim/$inquire: read, decide, record, answer.</summary>
internal sealed partial class PriorAuthorizationService(
    PasRequestReader reader,
    ClaimDecider decider,
    IMemberHistory memberHistory,
    ClaimResponseBuilder builder,
    PasRecordStore records,
    IEnumerable<ICoverageAssertionStore> assertionStores,
    MemberCoverageReader coverageReader,
    DecisionDeadline deadline,
    SpinePolicyMetrics metrics,
    TimeProvider clock,
    ILogger<PriorAuthorizationService> logger)
{
    public async Task<SubmitOutcome> SubmitAsync(Bundle bundle, FhirCaller caller, string fhirBase, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        using var span = SpinePolicyTelemetry.Source.StartActivity("PAS submit");
        var submission = reader.Read(bundle);
        EnsureActsForRequester(caller, submission);

        // Idempotency is per submitter: another organization's identifier is never ours to answer.
        var owner = caller.OwnerKey;
        if (await records.FindIdAsync(owner, submission.ClaimKey, submission.BundleKey, cancellationToken) is { } existingId)
        {
            span?.SetTag(TelemetryTags.Repeat, true);
            return await RepeatAsync(existingId, bundle, fhirBase, cancellationToken);
        }

        var isAppeal = DecisionDeadline.IsAppeal(submission.Claim);
        PasRecord? replaced = null;
        PasRecord? appealed = null;
        if (submission.ReplacesClaimKey is { } priorKey)
        {
            // Only the submitter's own earlier request can be updated, cancelled or appealed; anyone
            // else's is answered as unknown, so nobody learns another organization's identifiers.
            var priorId = await records.FindIdAsync(owner, priorKey, null, cancellationToken)
                ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"Claim.related.claim names '{priorKey}', a request this payer has no record of.", "Bundle.entry[0].resource.related.claim");
            var prior = await records.ReadAsync(priorId, cancellationToken)
                ?? throw new InvalidOperationException($"Record {priorId} is keyed but cannot be read.");
            if (isAppeal && prior.Clock.Kind != RequestKind.Appeal)
            {
                appealed = AppealRouting.EnsureAppealable(prior);
            }
            else if (prior.Response.Status == FinancialResourceStatusCodes.Cancelled)
            {
                // Already replaced or cancelled: updating it again would put a second request in
                // force beside the one that replaced it, both derived from one original.
                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, "Claim.related.claim names a request that was already replaced or cancelled; send the update or cancellation against the request now in force (its ClaimResponse notes which one replaced it).", "Bundle.entry[0].resource.related.claim");
            }
            else
            {
                // An ordinary update, or an update of an appeal (whatever its certification type).
                replaced = prior;
            }
        }
        else if (isAppeal)
        {
            throw FhirHttpException.Required("An appeal (certification type 1 or 2) must name the denied request in Claim.related.claim (its Claim.identifier).", "Bundle.entry[0].resource.related");
        }

        var patientId = SearchColumnExtractor.PatientIdFrom(new ResourceReference(submission.PatientEntry.FullUrl)) ?? submission.Patient.Id;
        var history = string.IsNullOrEmpty(patientId) ? MemberHistory.None : await memberHistory.ReadAsync(patientId, replaced?.Id, HistoryViewer.Of(caller), cancellationToken);
        var decisions = decider.Decide(submission, history);
        var id = ResourceStamp.NewId();
        var now = clock.GetUtcNow();
        var (assertionNotes, assertionIds) = await LinkAssertionsAsync(submission, cancellationToken);
        var response = builder.Build(id, submission, decisions, assertionNotes, now);
        foreach (var assertionId in assertionIds)
        {
            response.Meta!.Tag.Add(new Coding(CoverageAssertionIds.System, assertionId));
        }

        var changed = new List<PasRecord>();
        if (replaced is not null)
        {
            // PAS update: the earlier request is superseded; its response stays readable, marked so,
            // and if it was still waiting for a decision, it was withdrawn.
            replaced.Response.Status = FinancialResourceStatusCodes.Cancelled;
            ClaimResponseBuilder.AddNote(replaced.Response, $"Replaced by the updated request {submission.ClaimKey} (ClaimResponse/{id}).");
            ClaimResponseBuilder.AddNote(response, $"This request replaces the earlier request recorded as ClaimResponse/{replaced.Id}.");
            changed.Add(replaced with { Clock = replaced.Clock.Withdraw(now) });
        }

        // An update of an appeal is still the appeal of the same denial: a reviewer decides it, on the appeal's clock.
        if (appealed is null && replaced?.Clock is { Kind: RequestKind.Appeal, AppealOf: { } denialId })
        {
            appealed = await records.ReadAsync(denialId, cancellationToken);
        }

        if (appealed is not null)
        {
            // The denial and the appeal name each other, so either leads to the other's outcome.
            AppealRouting.SendToReviewer(response, submission, appealed.Id);
            ClaimResponseBuilder.AddNote(appealed.Response, $"Appealed by the request {submission.ClaimKey} (ClaimResponse/{id}); the appeal's outcome is recorded there.");
            changed.Add(appealed with { Clock = appealed.Clock.AppealedWith(id) });
        }

        var decisionClock = deadline.Start(now, submission.Claim, appealed?.Id);
        if (response.Outcome == ClaimProcessingCodes.Partial)
        {
            ClaimResponseBuilder.AddNote(response, decisionClock.DueNote());
        }
        else
        {
            decisionClock = decisionClock.Decide(now);
        }

        try
        {
            var stored = await records.SaveNewAsync(id, bundle, submission.Claim, response, decisionClock, submission.QuestionnaireResponses, owner, submission.ClaimKey, submission.BundleKey, changed, cancellationToken);
            response.Meta!.VersionId = stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture);
            response.Meta.LastUpdated = stored.LastUpdated;
        }
        catch (DuplicateKeyException)
        {
            // An identical submit won the race: answer with its response, create nothing.
            var winner = await records.FindIdAsync(owner, submission.ClaimKey, submission.BundleKey, cancellationToken)
                ?? throw new InvalidOperationException("A duplicate key was reported but no record holds it.");
            span?.SetTag(TelemetryTags.Repeat, true);
            return await RepeatAsync(winner, bundle, fhirBase, cancellationToken);
        }
        catch (VersionConflictException)
        {
            // The earlier request this one updates, cancels or appeals was written since it was read
            // (a reviewer decided it, or another update or appeal of it was recorded; on this
            // instance or another). Recording this one over it would lose that change. $submit takes
            // no If-Match, so no precondition of the client's failed: the request conflicts (409).
            throw FhirHttpException.ChangedMeanwhile(
                $"The earlier request named in Claim.related.claim ({string.Join(", ", changed.Select(r => "ClaimResponse/" + r.Id))}) changed while this request was being recorded: a reviewer decided it, or another update or appeal of it was recorded. Nothing was recorded; $inquire for its current state and submit again.",
                "Bundle.entry[0].resource.related.claim");
        }

        DecisionTelemetry.Record(
            metrics,
            "pas",
            coverageReader.ReadProductLine(submission.Coverage).ProductLine ?? ClaimDecider.UnknownProductLine,
            decisions.Select(d => new DecisionTelemetry.Item(d.Action, d.Line.ServiceCode)).ToList(),
            decisions.Where(d => d.Determination is not null).Select(d => d.Determination!.DecidedUnder?.Version));
        var outcomeCode = response.Outcome?.ToString() ?? "none";
        var elapsedMs = clock.GetElapsedTime(started).TotalMilliseconds;
        LogSubmitted(logger, decisions.Count, outcomeCode, elapsedMs);
        return new SubmitOutcome(PasResponseBundleBuilder.Build(response, bundle, fhirBase, now), id, Created: true);
    }

    /// <summary>
    /// PAS $inquire: the current state of an earlier request named by the inquiry's Claim.identifier.
    /// PAS 2.0.1 lets systems other than the submitter ask, and requires a match on the member id
    /// (an identifier of Claim.patient) plus the ordering or rendering provider's identifier (its
    /// NPI): the inquiring provider must be the requester or be in the care team of the request. A
    /// provider client may only inquire as a provider it acts for. A request that does not match is
    /// answered exactly as one that does not exist.
    /// </summary>
    public async Task<Bundle?> InquireAsync(Bundle inquiry, FhirCaller caller, string fhirBase, CancellationToken cancellationToken)
    {
        if (inquiry.Entry.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The inquiry Bundle has no entries; it starts with the Claim being asked about.", "Bundle.entry");
        }

        BundleReferenceResolver.RequireUniqueFullUrls(inquiry);
        if (inquiry.Entry[0].Resource is not Claim claim)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, $"The first entry of a PAS inquiry Bundle must be the Claim, not {inquiry.Entry[0].Resource?.TypeName ?? "an empty entry"}.", "Bundle.entry[0].resource");
        }

        var identifiers = claim.Identifier.Where(i => PasRequestReader.IdentifierKey(i) is not null).ToList();
        if (identifiers.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The inquiry's Claim.identifier is required: it names the request asked about.", "Bundle.entry[0].resource.identifier");
        }

        var members = MemberIdentifiers(inquiry, claim);
        if (members.Count == 0)
        {
            throw FhirHttpException.Required("The inquiry's Claim.patient must carry the member identifier (Patient.identifier, type MB): PAS matches inquiries on the member id and the provider's NPI.", "Bundle.entry[0].resource.patient");
        }

        var inquirer = ProviderIdentifiers.OfRequester(inquiry, claim);
        if (inquirer.Count == 0)
        {
            throw FhirHttpException.Required("The inquiry's Claim.provider must identify the inquiring provider by its NPI: PAS matches inquiries on the member id and the provider's NPI.", "Bundle.entry[0].resource.provider");
        }

        // A request is matched only on the providers the caller acts for: an inquiry naming another
        // organization's NPI beside its own must not open that organization's requests.
        var matchedOn = caller.IsProvider ? inquirer.Where(caller.Organization!.Includes).ToList() : inquirer;
        if (matchedOn.Count == 0)
        {
            throw FhirHttpException.Forbidden("The inquiry's Claim.provider names a provider this client does not act for.", "Bundle.entry[0].resource.provider");
        }

        foreach (var identifier in identifiers)
        {
            foreach (var id in await records.FindIdsByClaimIdentifierAsync(identifier, cancellationToken))
            {
                if (await records.ReadAsync(id, cancellationToken) is { } record && Matches(record.Request, members, matchedOn))
                {
                    LogInquired(logger);
                    return PasResponseBundleBuilder.Build(record.Response, record.Request, fhirBase, clock.GetUtcNow(), inquiry: true);
                }
            }
        }

        return null;
    }

    /// <summary>
    /// A provider submits only in the name of a provider it acts for: Claim.provider must carry one
    /// of the identifiers its binding lists (its NPI, or those of the providers it serves).
    /// </summary>
    private static void EnsureActsForRequester(FhirCaller caller, PasSubmission submission)
    {
        if (caller.Unrestricted)
        {
            return;
        }

        if (!caller.IsProvider)
        {
            throw FhirHttpException.Forbidden("Claim/$submit is for provider organizations; this client is not bound to one.");
        }

        if (!ProviderIdentifiers.OfRequester(submission.Bundle, submission.Claim).Any(caller.Organization!.Includes))
        {
            throw FhirHttpException.Forbidden("Claim.provider must name a provider this client acts for (an identifier, such as the NPI, of its organization).", "Bundle.entry[0].resource.provider");
        }

        // One NPI of ours is not enough: a requesting organization that also carries another
        // organization's NPI would file a request that speaks for them. (A clinician's own NPI is
        // not an organization's and is not checked here.)
        if (ProviderIdentifiers.OrganizationNpisOfRequester(submission.Bundle, submission.Claim).FirstOrDefault(npi => !caller.Organization!.Includes(npi)) is { } foreign)
        {
            throw FhirHttpException.Forbidden($"Claim.provider names NPI {foreign.Value}, an organization this client does not act for; every organization NPI of the requester must be its own.", "Bundle.entry[0].resource.provider");
        }
    }

    /// <summary>The member ids the inquiry's patient carries.</summary>
    private static List<Identifier> MemberIdentifiers(Bundle bundle, Claim claim)
    {
        var patient = new BundleReferenceResolver(bundle).ResolveResource(claim.Patient, bundle.Entry[0], claim) as Patient;
        var identifiers = (patient?.Identifier ?? []).Append(claim.Patient?.Identifier);
        return identifiers.OfType<Identifier>().Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value)).ToList();
    }

    /// <summary>Same member (an identifier in common) and the inquirer is the requester or in the care team.</summary>
    private static bool Matches(Bundle stored, IReadOnlyList<Identifier> members, IReadOnlyList<Identifier> inquirer)
    {
        if (stored.Entry.Count == 0 || stored.Entry[0].Resource is not Claim storedClaim)
        {
            return false;
        }

        return ProviderIdentifiers.Overlap(MemberIdentifiers(stored, storedClaim), members)
            && ProviderIdentifiers.Overlap(ProviderIdentifiers.OfAllProviders(stored, storedClaim), inquirer);
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
            LogIdentifierReused(logger);
            throw new FhirHttpException(
                StatusCodes.Status422UnprocessableEntity,
                OperationOutcome.IssueType.Duplicate,
                "A request with this Claim or Bundle identifier was already decided with different content. To change it, submit an update: a new Claim.identifier, with Claim.related.claim naming the earlier one.",
                "Bundle.entry[0].resource.identifier");
        }

        LogRepeated(logger);
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

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "PAS request decided: {ItemCount} item(s), outcome {Outcome}, {ElapsedMs:0.0} ms")]
    private static partial void LogSubmitted(ILogger logger, int itemCount, string outcome, double elapsedMs);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "PAS request resubmitted unchanged; the recorded response is returned")]
    private static partial void LogRepeated(ILogger logger);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "PAS inquiry answered from the record")]
    private static partial void LogInquired(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Information, Message = "PAS resubmission refused: an identifier on record was reused for different content")]
    private static partial void LogIdentifierReused(ILogger logger);
}
