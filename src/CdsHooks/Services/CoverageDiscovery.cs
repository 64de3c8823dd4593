using System.Diagnostics;
using System.Text.Json;
using Hl7.Fhir.Model;
using Microsoft.Extensions.Logging;
using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Member;
using SpinePolicy.CdsHooks.Orders;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.CdsHooks.Responses;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Telemetry;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// The CRD answer shared by every hook: collect the orders the hook names, keep those policy 097
/// governs (P2), learn the member's product line and age, ask the engine (P3 and the order-set
/// rules), annotate each order with coverage-information, build the cards, and persist every
/// assertion so DTR and PAS can find it.
/// </summary>
internal sealed partial class CoverageDiscovery(
    CoverageEngine engine,
    UngovernedServices ungovernedDefault,
    OrderFactsReader orderFacts,
    MemberResolver members,
    CardBuilder cards,
    ICoverageAssertionStore assertions,
    IEnumerable<IMemberHistory> memberHistory,
    TimeProvider time,
    SpinePolicyMetrics metrics,
    ILogger<CoverageDiscovery> logger)
{
    private Policy Policy => engine.Policy;

    /// <param name="audit">Where the request's audit record learns the assertions made (null when not audited).</param>
    public async Task<CdsServiceResponse> AnswerAsync(ICrdHookService service, HookRequest request, RequestConfiguration configuration, HookData data, AuditSubjects? audit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var collected = await service.CollectOrdersAsync(request, data, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();
        PatientInContext.CheckOrders(collected, request.PatientId);

        HookOrderFacts facts;
        try
        {
            facts = HookOrderFacts.Read(collected, orderFacts);
        }
        catch (FhirHttpException ex)
        {
            throw CdsRequestException.BadFhir("invalid-order", ex.Message, ex.Expression);
        }

        var governed = collected.Candidates
            .Where(c => facts.Candidates.TryGetValue(c, out var ordered) && engine.Timeline.Governs(ordered.CptCode))
            .ToList();

        // CRD 2.0.1: a primary hook answers EVERY order with coverage-information, the ones no loaded
        // policy governs with the payer's default; the supporting hooks answer governed orders only.
        var ungoverned = service.IsPrimary
            ? collected.Candidates.Except(governed, ReferenceEqualityComparer.Instance).Cast<OrderCandidate>().ToList()
            : [];

        // CDS Hooks 2.0: 412 when data the service needs was neither prefetched nor fetchable.
        if (governed.Count == 0 && collected.Unresolved.FirstOrDefault(u => u.Status == EhrFetchStatus.NotFetchable) is { } notFetchable)
        {
            throw new CdsRequestException(412, "prefetch-missing", $"Cannot answer: {notFetchable.Problem}.");
        }

        // Likewise when the orders named could not be read at all (the EHR failed, timed out or has
        // none by that id): an empty 200 would say "nothing to tell" about orders never seen, where
        // CRD expects coverage-information on every order of a primary hook.
        if (collected.Candidates.Count == 0 && collected.Unresolved.Count > 0 && collected.Unresolved[0] is var unread)
        {
            throw new CdsRequestException(412, "prefetch-missing", $"Cannot answer: {unread.Problem}.");
        }

        if (governed.Count == 0 && ungoverned.Count == 0)
        {
            LogNotGoverned(logger, service.Descriptor.Id, request.LoggableHookInstance, collected.Candidates.Count);
            return CdsServiceResponse.Empty;
        }

        // What a governed order's decision rests on must be sound FHIR: a defect in an element the
        // facts or the annotation read fails the call. Elements nobody reads are the EHR's business.
        if (governed.FirstOrDefault(c => c.Defect is not null) is { } defective)
        {
            throw CdsRequestException.BadFhir("invalid-fhir", $"{defective.TargetReference} is governed by Medical Policy 097 but is not valid FHIR R4: {defective.Defect!.Message}", defective.Defect.Path);
        }

        var member = await members.ResolveAsync(request, data, cancellationToken);
        if (member.CoverageMissing is { Status: EhrFetchStatus.NotFetchable } missing)
        {
            throw new CdsRequestException(412, "prefetch-missing", $"Cannot answer: {missing.Problem}.");
        }

        try
        {
            PatientFacts.CheckBornBy(member.Age, governed.Concat(ungoverned).Select(c => facts.Candidates.GetValueOrDefault(c)).OfType<OrderedService>(), "Patient.birthDate");
        }
        catch (FhirHttpException ex)
        {
            throw CdsRequestException.BadFhir("invalid-birth-date", ex.Message, ex.Expression);
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        // P8 and P2: the member's other requests (pending or certified) count, as in PAS, for
        // concurrency (either way round) and for an add-on's primary. Read only when an order is one
        // those rules look at. An EHR is bound to no organization, so the cards name no other request's id.
        var needsHistory = governed.Any(c => OrderSetRules.ReadsHistory(Policy, facts.Candidates[c].CptCode));
        var history = needsHistory && memberHistory.FirstOrDefault() is { } reader && !string.IsNullOrEmpty(request.PatientId)
            ? await reader.ReadAsync(request.PatientId, null, HistoryViewer.Nobody, cancellationToken)
            : null;
        var query = new CoverageQuery(member.ProductLine ?? "", member.Age, facts.OrderSet, history, member.Coverage?.Term);
        var assessed = new List<AssessedOrder>(governed.Count + ungoverned.Count);
        foreach (var candidate in governed.Concat(ungoverned))
        {
            var ordered = facts.Candidates.GetValueOrDefault(candidate);
            var isGoverned = ordered is not null && Policy.Governs(ordered.CptCode);
            // ServiceCode writes a code of another system as "system|code": only a CPT code is a billingCode here.
            var cptCode = ordered?.CptCode is { } code && !code.Contains('|', StringComparison.Ordinal) ? code : null;

            // The id is settled per annotated resource below (one per resource and Coverage).
            if (member.Coverage is null)
            {
                var decidedBy = isGoverned
                    ? "Policy 097 (P3) decides by the member's plan"
                    : "No loaded medical policy governs this order (P2); the member's benefits decide";
                var unknown = CoverageAnswers.Conditional(cptCode, cptCode is null ? null : Policy.FindCodeGroup(cptCode)?.Display, member.CoverageReference, member.CoverageMissing?.Problem ?? "the member's coverage is unknown", decidedBy, PendingId, today);
                assessed.Add(new AssessedOrder(candidate, null, unknown, isGoverned));
            }
            else if (isGoverned && engine.Assess(query, ordered!) is { } coverage)
            {
                var answer = CoverageAnswers.FromCoverage(coverage, member.CoverageReference, PendingId, today);
                assessed.Add(new AssessedOrder(candidate, coverage, service.IsPrimary ? answer : WithoutDocumentation(answer)));
            }
            else
            {
                // Also a code the version in force on the date of service does not list (P13): that version does not govern it.
                assessed.Add(new AssessedOrder(candidate, null, CoverageAnswers.FromUngoverned(ungovernedDefault, Policy, cptCode, member.CoverageReference, PendingId, today), Governed: false));
            }
        }

        var annotations = await AnnotateAsync(assessed, member, cancellationToken);
        assessed = annotations.SelectMany(a => a.Orders).ToList();
        var actions = annotations.Where(a => a.Changed).Select(a => a.ToUpdateAction()).ToList();
        var responseCards = cards.Build(assessed, configuration);
        // The cards are recorded with the assertions, so that CDS Hooks feedback on a card can be
        // checked and linked to what the card spoke about.
        var issuedAt = time.GetUtcNow();
        var issued = responseCards
            .Where(card => card.AssertionIds.Count > 0)
            .Select(card => new IssuedCard(card.Uuid, service.Descriptor.Id, card.AssertionIds, issuedAt))
            .ToList();
        await assertions.SaveAsync(annotations.Where(a => a.Changed).Select(a => ToAssertion(a, request, member)).ToList(), issued, cancellationToken);
        foreach (var annotation in annotations)
        {
            audit?.AddCoverageAssertion(annotation.AssertionId);
        }

        RecordDecisions(assessed, member);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogAnswered(logger, service.Descriptor.Id, request.LoggableHookInstance, assessed.Count, actions.Count, responseCards.Count, elapsed);
        return new CdsServiceResponse(responseCards, actions);
    }

    /// <summary>Placeholder until <see cref="AnnotateAsync"/> gives each resource its assertion id.</summary>
    private const string PendingId = "";

    /// <summary>
    /// CRD 2.0.1: supporting hooks (order-select, encounter-start, encounter-discharge) SHALL NOT
    /// ask for clinical or administrative documentation; it is asked later, at order-sign.
    /// </summary>
    private static CoverageAnswer WithoutDocumentation(CoverageAnswer answer) =>
        answer with { DocNeeded = null, DocPurpose = null, Questionnaire = null };

    /// <summary>
    /// One annotation per resource: all its coverage-information repetitions share one
    /// coverage-assertion-id (CRD 2.0.1: repetitions for the same Coverage SHALL share it). When the
    /// resource already carries our annotation for this Coverage saying the same, under an
    /// assertion we recorded for this policy version, nothing is new: the id is kept and no update
    /// is sent (CRD 2.0.1: "SHALL NOT send a system action to update the order unless something is new").
    /// </summary>
    private async Task<List<CoverageAnnotation>> AnnotateAsync(List<AssessedOrder> assessed, MemberFacts member, CancellationToken cancellationToken)
    {
        var annotations = new List<CoverageAnnotation>();
        foreach (var group in assessed.GroupBy(a => a.Candidate.Target, ReferenceEqualityComparer.Instance))
        {
            var target = (DomainResource)group.Key!;
            var orders = group.ToList();
            var previous = PreviousAnnotation.Of(target, member.CoverageReference);
            if (previous is not null
                && previous.SaysTheSameAs(orders.Select(o => o.Answer))
                && await assertions.FindAsync(previous.AssertionId, cancellationToken) is { } recorded
                && recorded.PolicyVersion == PolicyVersionOf(orders)
                && recorded.CoverageReference == member.CoverageReferenceText)
            {
                annotations.Add(new CoverageAnnotation(target, previous.AssertionId, orders.Select(o => o with { Answer = o.Answer with { AssertionId = previous.AssertionId } }).ToList(), Changed: false));
                continue;
            }

            var id = CoverageAssertionIds.New();
            annotations.Add(new CoverageAnnotation(target, id, orders.Select(o => o with { Answer = o.Answer with { AssertionId = id } }).ToList(), Changed: true)
            {
                CoverageReference = member.CoverageReference,
            });
        }

        return annotations;
    }

    /// <summary>The hook's span learns the decisions and the policy versions; the decision counter one per order.</summary>
    private void RecordDecisions(List<AssessedOrder> assessed, MemberFacts member)
    {
        var productLine = member.ProductLine ?? "unknown";
        var decisions = new List<string>(assessed.Count);
        var versions = new List<string>(assessed.Count);
        foreach (var order in assessed)
        {
            // Not covered says it all; otherwise whether prior authorization is needed is the news.
            var decision = order.Answer.Covered == "covered" ? order.Answer.PaNeeded ?? order.Answer.Covered : order.Answer.Covered;
            decisions.Add(decision);
            versions.Add(order.Engine?.DecidedUnder?.Version ?? TelemetryTags.NoPolicyVersion);
            metrics.Decided("crd", decision, productLine, order.Answer.CptCode ?? "other");
        }

        DecisionSpan.Describe(DecisionSpan.Current, decisions, versions, assessed.Count);
    }

    private CoverageAssertion ToAssertion(CoverageAnnotation annotation, HookRequest request, MemberFacts member)
    {
        var lines = annotation.Orders.Select(o => new CoverageAssertionLine
        {
            CptCode = o.Answer.CptCode,
            Covered = o.Answer.Covered,
            PaNeeded = o.Answer.PaNeeded,
            DocumentationNeeded = o.Answer.DocNeeded is not null,
            QuestionnaireCanonical = o.Answer.Questionnaire,
        }).ToList();
        return new CoverageAssertion
        {
            AssertionId = annotation.AssertionId,
            OrderReference = annotation.Orders[0].Candidate.TargetReference,
            PatientId = request.PatientId,
            CoverageReference = member.CoverageReferenceText,
            CptCode = lines[0].CptCode,
            ProductLine = member.ProductLine ?? "unknown",
            Covered = lines[0].Covered,
            PaNeeded = lines[0].PaNeeded,
            DocumentationNeeded = lines[0].DocumentationNeeded,
            QuestionnaireCanonical = lines[0].QuestionnaireCanonical,
            Lines = lines,
            PolicyVersion = PolicyVersionOf(annotation.Orders),
            Hook = request.Hook,
            AssertedAt = time.GetUtcNow(),
        };
    }

    /// <summary>
    /// P13: the version in force on the orders' date of service (the first governed order's); the
    /// bare policy URL when none was in force; the current version when nothing was assessed.
    /// </summary>
    private string PolicyVersionOf(IReadOnlyList<AssessedOrder> orders)
    {
        var decided = orders.FirstOrDefault(o => o.Engine is not null)?.Engine;
        return decided is { DecidedUnder: null } ? Policy.Url : (decided?.DecidedUnder ?? Policy).VersionedUrl;
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "CRD {ServiceId} hook {HookInstance}: no order governed by the policy among {Candidates}")]
    private static partial void LogNotGoverned(ILogger logger, string serviceId, string hookInstance, int candidates);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "CRD {ServiceId} hook {HookInstance}: {Governed} governed orders, {Actions} system actions, {Cards} cards in {ElapsedMs:0.0} ms")]
    private static partial void LogAnswered(ILogger logger, string serviceId, string hookInstance, int governed, int actions, int cards, double elapsedMs);
}
