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
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.CdsHooks.Services;

/// <summary>
/// The CRD answer shared by every hook: collect the orders the hook names, keep those policy 097
/// governs (P2), learn the member's product line and age, ask the engine (P3 and the order-set
/// rules), annotate each order with coverage-information, build the cards, and persist every
/// assertion so DTR and PAS can find it.
/// </summary>
public sealed partial class CoverageDiscovery(
    CoverageEngine engine,
    OrderFactsReader orderFacts,
    MemberResolver members,
    CardBuilder cards,
    ICoverageAssertionStore assertions,
    TimeProvider time,
    ILogger<CoverageDiscovery> logger)
{
    private Policy Policy => engine.Policy;

    /// <param name="audit">Where the request's audit record learns the assertions made (null when not audited).</param>
    public async Task<CdsServiceResponse> AnswerAsync(ICrdHookService service, HookRequest request, RequestConfiguration configuration, HookData data, AuditSubjects? audit, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var collected = await service.CollectOrdersAsync(request, data, cancellationToken);
        cancellationToken.ThrowIfCancellationRequested();

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

        // CDS Hooks 2.0: 412 when data the service needs was neither prefetched nor fetchable.
        if (governed.Count == 0 && collected.Unresolved.FirstOrDefault(u => u.Status == EhrFetchStatus.NotFetchable) is { } notFetchable)
        {
            throw new CdsRequestException(412, "prefetch-missing", $"Cannot answer: {notFetchable.Problem}.");
        }

        if (governed.Count == 0)
        {
            LogNotGoverned(logger, service.Descriptor.Id, request.LoggableHookInstance, collected.Candidates.Count);
            return CdsServiceResponse.Empty;
        }

        // A governed order goes back to the EHR in the system action, so it must be sound FHIR.
        if (governed.FirstOrDefault(c => c.Defect is not null) is { } defective)
        {
            throw CdsRequestException.BadFhir("invalid-fhir", $"{defective.TargetReference} is governed by Medical Policy 097 but is not valid FHIR R4: {defective.Defect}", defective.TargetReference);
        }

        var member = await members.ResolveAsync(request, data, cancellationToken);
        if (member.CoverageMissing is { Status: EhrFetchStatus.NotFetchable } missing)
        {
            throw new CdsRequestException(412, "prefetch-missing", $"Cannot answer: {missing.Problem}.");
        }

        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var query = new CoverageQuery(member.ProductLine ?? "", member.Age, facts.OrderSet);
        var assessed = new List<AssessedOrder>(governed.Count);
        foreach (var candidate in governed)
        {
            var ordered = facts.Candidates[candidate];
            var assertionId = CoverageAssertionIds.New();
            if (member.Coverage is null)
            {
                var answer = CoverageAnswers.Conditional(ordered, Policy.FindCodeGroup(ordered.CptCode)?.Display, member.CoverageReference, member.CoverageMissing?.Problem ?? "the member's coverage is unknown", assertionId, today);
                assessed.Add(new AssessedOrder(candidate, null, answer));
                continue;
            }

            var coverage = engine.Assess(query, ordered)!;
            assessed.Add(new AssessedOrder(candidate, coverage, CoverageAnswers.FromCoverage(coverage, member.CoverageReference, assertionId, today)));
        }

        var actions = SystemActions(assessed, member);
        var responseCards = cards.Build(assessed, configuration);
        await assertions.SaveAsync(assessed.Select(a => ToAssertion(a, request, member)).ToList(), cancellationToken);
        foreach (var order in assessed)
        {
            audit?.AddCoverageAssertion(order.Answer.AssertionId);
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogAnswered(logger, service.Descriptor.Id, request.LoggableHookInstance, assessed.Count, actions.Count, responseCards.Count, elapsed);
        return new CdsServiceResponse(responseCards, actions);
    }

    private static List<CdsSystemAction> SystemActions(IReadOnlyList<AssessedOrder> assessed, MemberFacts member)
    {
        // One update per annotated resource, carrying one extension per governed order behind it
        // (an Appointment based on two governed ServiceRequests carries two).
        var actions = new List<CdsSystemAction>();
        foreach (var group in assessed.GroupBy(a => a.Candidate.Target, ReferenceEqualityComparer.Instance))
        {
            var target = (DomainResource)group.Key!;
            CoverageInformationExtension.RemovePrevious(target, member.CoverageReference);
            foreach (var order in group)
            {
                target.Extension.Add(CoverageInformationExtension.Build(order.Answer));
            }

            var reference = group.First().Candidate.TargetReference;
            using var json = JsonDocument.Parse(FhirJson.SerializeToUtf8Bytes(target));
            actions.Add(new CdsSystemAction("update", $"Coverage information for {reference} (Medical Policy 097)", json.RootElement.Clone()));
        }

        return actions;
    }

    private CoverageAssertion ToAssertion(AssessedOrder order, HookRequest request, MemberFacts member) => new()
    {
        AssertionId = order.Answer.AssertionId,
        OrderReference = order.Candidate.TargetReference,
        PatientId = request.PatientId,
        CoverageReference = member.CoverageReferenceText,
        CptCode = order.Answer.CptCode!,
        ProductLine = member.ProductLine ?? "unknown",
        Covered = order.Answer.Covered,
        PaNeeded = order.Answer.PaNeeded,
        DocumentationNeeded = order.Answer.DocNeeded is not null,
        QuestionnaireCanonical = order.Answer.Questionnaire,
        // P13: the version in force on the order's date of service; the bare policy URL when none was.
        PolicyVersion = order.Engine is { DecidedUnder: null } ? Policy.Url : (order.Engine?.DecidedUnder ?? Policy).VersionedUrl,
        Hook = request.Hook,
        AssertedAt = time.GetUtcNow(),
    };

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "CRD {ServiceId} hook {HookInstance}: no order governed by the policy among {Candidates}")]
    private static partial void LogNotGoverned(ILogger logger, string serviceId, string hookInstance, int candidates);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "CRD {ServiceId} hook {HookInstance}: {Governed} governed orders, {Actions} system actions, {Cards} cards in {ElapsedMs:0.0} ms")]
    private static partial void LogAnswered(ILogger logger, string serviceId, string hookInstance, int governed, int actions, int cards, double elapsedMs);
}
