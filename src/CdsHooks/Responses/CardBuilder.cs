using SpinePolicy.CdsHooks.Configuration;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;

namespace SpinePolicy.CdsHooks.Responses;

/// <summary>
/// The cards a clinician sees: one External Reference card linking the policy, and an Instructions
/// card for each thing that needs attention, worded from the engine's findings (which name their
/// clause). Honours the client's configuration: disabled card types and max-cards.
/// </summary>
internal sealed class CardBuilder(Policy policy, string sourceLabel)
{
    /// <summary>CDS Hooks 2.0: a summary SHOULD be under 140 characters.</summary>
    public const int MaxSummaryLength = 139;

    public IReadOnlyList<CdsCard> Build(IReadOnlyList<AssessedOrder> orders, RequestConfiguration configuration)
    {
        var cards = new List<CdsCard>();

        // Orders no loaded policy governs carry the payer's default on the order itself; they need no card.
        orders = orders.Where(o => o.Governed).ToList();
        if (orders.Count == 0)
        {
            return cards;
        }

        foreach (var order in orders)
        {
            cards.AddRange(CoverageCards(order));
            cards.AddRange(RuleCards(order));
        }

        cards.Add(PolicyReferenceCard(orders));

        // Most urgent first (stable within a level), then the client's limits.
        return cards
            .Select((card, index) => (card, index))
            .OrderBy(x => Urgency(x.card.Indicator))
            .ThenBy(x => x.index)
            .Select(x => x.card)
            .Where(card => configuration.Allows(card.Source.Topic.Code))
            .Take(configuration.MaxCards)
            .ToList();
    }

    private IEnumerable<CdsCard> CoverageCards(AssessedOrder order)
    {
        var code = order.Answer.CptCode;
        if (order.Engine is null)
        {
            yield return Card(CrdCardTypes.CoverageInformation, "warning",
                $"Coverage for CPT {code} could not be determined: member coverage unavailable",
                order.Answer.Reason, AboutOrders(order));
            yield break;
        }

        foreach (var finding in order.Engine.Findings)
        {
            switch (finding.Kind)
            {
                case FindingKind.PriorAuthorizationRequired:
                    // The documentation is asked for only where the answer asks for it (never on a
                    // supporting hook: CRD 2.0.1 leaves it to order-sign).
                    yield return Card(CrdCardTypes.CoverageInformation, "info",
                        $"Prior authorization required for CPT {code} ({order.Engine.CodeGroup.Display})",
                        order.Answer.DocNeeded is null
                            ? $"{finding.Message} Request authorization before the service. Medical Policy 097, {finding.Clause}."
                            : $"{finding.Message} Complete the documentation ({order.Engine.Family.Display} questionnaire) and request authorization before the service. Medical Policy 097, {finding.Clause}.", AboutOrders(order));
                    break;
                case FindingKind.NotPayable:
                    yield return Card(CrdCardTypes.CoverageInformation, "warning",
                        $"CPT {code} ({order.Engine.Family.Display}) is not payable for this member's plan",
                        $"{finding.Message} Medical Policy 097, {finding.Clause} (and P3).", AboutOrders(order));
                    break;
                case FindingKind.PolicyNotInForce:
                    yield return Card(CrdCardTypes.CoverageInformation, "warning",
                        $"CPT {code}: no version of Medical Policy 097 was in force on the date of service; clinical review",
                        $"{finding.Message} Medical Policy 097, {finding.Clause}.", AboutOrders(order));
                    break;
                case FindingKind.PolicyContentNotOnFile:
                    yield return Card(CrdCardTypes.CoverageInformation, "warning",
                        $"CPT {code}: the policy version in force on the date of service is not fully on file; clinical review",
                        $"{finding.Message} Medical Policy 097, {finding.Clause}.", AboutOrders(order));
                    break;
                case FindingKind.CoverageNotInForce:
                    yield return Card(CrdCardTypes.CoverageInformation, "warning",
                        $"CPT {code}: the member's coverage is not in force on the date of service",
                        $"{finding.Message} Check the member's coverage for that date, or the date of service. Medical Policy 097, {finding.Clause}.", AboutOrders(order));
                    break;
                case FindingKind.UnknownProductLine:
                    yield return Card(CrdCardTypes.CoverageInformation, "warning",
                        $"Coverage for CPT {code} needs review: the member's plan is not recognized",
                        $"{finding.Message} Medical Policy 097, {finding.Clause}.", AboutOrders(order));
                    break;
            }
        }
    }

    private IEnumerable<CdsCard> RuleCards(AssessedOrder order)
    {
        if (order.Engine is null)
        {
            yield break;
        }

        var code = order.Answer.CptCode;
        foreach (var finding in order.Engine.Findings)
        {
            var summary = finding.Kind switch
            {
                FindingKind.BelowMinimumAge => $"CPT {code}: member is under the policy's minimum age ({finding.Clause})",
                FindingKind.AgeUnknown => $"CPT {code}: the member's age on the date of service is uncertain; clinical review ({finding.Clause})",
                FindingKind.AddOnWithoutPrimary => $"Add-on CPT {code} ordered without its primary procedure ({finding.Clause})",
                FindingKind.ConcurrentProcedure => $"CPT {code}: BVNA with another spine procedure is investigational ({finding.Clause})",
                FindingKind.ConcurrencyUncertain => $"CPT {code}: another service on the date of service needs review for concurrency ({finding.Clause})",
                FindingKind.UnitsBeyondLimit => $"CPT {code}: more units than the policy allows ({finding.Clause})",
                _ => null,
            };
            if (summary is not null)
            {
                yield return Card(CrdCardTypes.OffGuideline, "warning", summary, $"{finding.Message} Medical Policy 097, {finding.Clause}.", AboutOrders(order));
            }
        }
    }

    private CdsCard PolicyReferenceCard(IReadOnlyList<AssessedOrder> orders)
    {
        var document = policy.Document;
        var link = document.PublishedDocumentUrl ?? document.Url;
        return Card(CrdCardTypes.Guideline, "info",
            $"Medical Policy {document.PolicyNumber}: {document.Title}",
            // P12: the policy lists codes for information only; say so where we link the policy.
            $"The orders above are governed by Medical Policy {document.PolicyNumber} \"{document.Title}\", {VersionsInForce(orders)}. Its codes are listed for information only: listing a code does not imply coverage or reimbursement (P12).",
            AboutOrders([.. orders]),
            [new CdsLink($"Medical Policy {document.PolicyNumber} (published policies)", link, "absolute")]);
    }

    /// <summary>
    /// P13: the version in force on each order's date of service, which decided it — one phrase when
    /// every order falls under the same version, else each version with its codes.
    /// </summary>
    private string VersionsInForce(IReadOnlyList<AssessedOrder> orders)
    {
        var assessed = orders.Where(o => o.Engine is not null).ToList();
        var byVersion = assessed.GroupBy(o => o.Engine!.DecidedUnder).ToList();
        if (byVersion.Count == 0)
        {
            return Phrase(policy);
        }

        if (byVersion.Count == 1 && byVersion[0].Key is { } only)
        {
            return Phrase(only);
        }

        return string.Join("; ", byVersion.Select(g =>
        {
            var codes = string.Join(", ", g.Select(o => o.Answer.CptCode).Distinct(StringComparer.Ordinal));
            return g.Key is { } version
                ? $"{Phrase(version)} for CPT {codes}"
                : $"no version in force on the date of service for CPT {codes}";
        }));

        static string Phrase(Policy version) => $"version {version.Version} (effective {version.Document.Effective:yyyy-MM-dd})";
    }

    /// <summary>The assertion ids of the orders a card speaks about (settled before the cards are built).</summary>
    private static List<string> AboutOrders(params AssessedOrder[] orders) =>
        orders.Select(o => o.Answer.AssertionId).Where(id => !string.IsNullOrEmpty(id)).Distinct(StringComparer.Ordinal).ToList();

    private CdsCard Card(CdsCoding topic, string indicator, string summary, string detail, IReadOnlyList<string> about, IReadOnlyList<CdsLink>? links = null) => new()
    {
        // Time-ordered (UUID version 7, still 74 random bits): every card is recorded in issued_card,
        // whose key starts with this uuid, and a random one put each card on a random page of that
        // index (2 of a hook's 3 written pages and most of its page reads; docs/benchmarks.md).
        Uuid = Guid.CreateVersion7().ToString(),
        Summary = summary.Length > MaxSummaryLength ? summary[..(MaxSummaryLength - 1)] + "…" : summary,
        Detail = detail,
        Indicator = indicator,
        Source = new CdsSource(sourceLabel, policy.Document.PublishedDocumentUrl, topic),
        Links = links,
        AssertionIds = about,
    };

    private static int Urgency(string indicator) => indicator switch
    {
        "critical" => 0,
        "warning" => 1,
        _ => 2,
    };
}
