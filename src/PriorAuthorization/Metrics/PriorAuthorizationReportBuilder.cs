using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PriorAuthorization.Clocks;

namespace SpinePolicy.PriorAuthorization.Metrics;

/// <summary>
/// Computes the CMS-0057-F public metrics for a period from the stored requests (see
/// docs/cms-0057-f.md for every definition and why). Percentages are of decided initial requests,
/// rounded to two decimals; times are hours from receipt to decision, rounded to two decimals.
/// </summary>
internal sealed class PriorAuthorizationReportBuilder(RequestHistoryReader reader, PolicyTimeline timeline, PriorAuthorizationReportOptions options, TimeProvider clock)
{
    public const string DefinitionsDocument = "docs/cms-0057-f.md";

    public async Task<PriorAuthorizationReport> BuildAsync(ReportingPeriod period, CancellationToken cancellationToken)
    {
        var received = await reader.ReadReceivedAsync(period, cancellationToken);
        var appeals = await AppealsOfAsync(received, cancellationToken);

        var programs = received
            .GroupBy(r => GroupOf(r.ProductLine))
            .OrderBy(g => g.Key.Program)
            .ThenBy(g => g.Key.Contract ?? g.Key.Lines, StringComparer.Ordinal)
            .Select(g => new ProgramFigures(
                g.Key.Program.Display(),
                g.Key.Contract,
                g.Select(r => r.ProductLine).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                Figures(g.ToList(), appeals)))
            .ToList();

        return new PriorAuthorizationReport(
            options.PlanName,
            period.From,
            period.To,
            clock.GetUtcNow(),
            DefinitionsDocument,
            ServicesRequiringAuthorization(period),
            programs,
            Figures(received, appeals));
    }

    /// <summary>The reporting group of a product line: its program and contract (or the line itself when no contract is configured).</summary>
    private (ReportingProgram Program, string? Contract, string Lines) GroupOf(string productLine)
    {
        var reporting = options.For(productLine);
        return (reporting.Program, reporting.Contract, reporting.Contract is null ? productLine : string.Empty);
    }

    /// <summary>Every appeal filed against a request of the period, whenever it was received.</summary>
    private async Task<Dictionary<string, RequestHistory>> AppealsOfAsync(IReadOnlyList<RequestHistory> received, CancellationToken cancellationToken)
    {
        var byId = received.ToDictionary(r => r.RecordId, StringComparer.Ordinal);
        var appeals = new Dictionary<string, RequestHistory>(StringComparer.Ordinal);
        foreach (var appealId in received.SelectMany(r => r.Clock.AppealedBy))
        {
            var appeal = byId.GetValueOrDefault(appealId) ?? await reader.ReadAsync(appealId, cancellationToken);
            if (appeal is not null)
            {
                appeals[appealId] = appeal;
            }
        }

        return appeals;
    }

    private static ReportFigures Figures(IReadOnlyList<RequestHistory> requests, IReadOnlyDictionary<string, RequestHistory> appeals)
    {
        var initial = requests
            .Where(r => r.Clock.Kind == RequestKind.Initial && r.Outcome is not (RequestOutcome.Cancellation or RequestOutcome.NotRequired))
            .ToList();
        var decided = initial.Where(r => r.IsDecided).ToList();
        var extended = decided.Where(r => r.Clock.Extension is not null).ToList();
        var appealRequests = requests.Where(r => r.Clock.Kind == RequestKind.Appeal && r.Outcome is not RequestOutcome.Cancellation).ToList();
        var appealsDecided = appealRequests.Where(r => r.IsDecided).ToList();
        return new ReportFigures(
            initial.Count,
            initial.Count(r => r.Outcome == RequestOutcome.Pending),
            initial.Count(r => r.Outcome == RequestOutcome.Withdrawn),
            requests.Count(r => r.Outcome == RequestOutcome.NotRequired),
            UrgencyFiguresOf(decided.Where(r => r.Clock.Urgency == RequestUrgency.Standard).ToList(), appeals),
            UrgencyFiguresOf(decided.Where(r => r.Clock.Urgency == RequestUrgency.Urgent).ToList(), appeals),
            new ExtensionFigures(
                decided.Count,
                extended.Count,
                Percent(extended.Count, decided.Count),
                extended.Count(r => r.IsApproved),
                Percent(extended.Count(r => r.IsApproved), decided.Count)),
            new AppealFigures(
                appealRequests.Count,
                appealRequests.Count(r => r.Outcome == RequestOutcome.Pending),
                appealsDecided.Count,
                appealsDecided.Count(r => r.IsApproved),
                Percent(appealsDecided.Count(r => r.IsApproved), appealsDecided.Count)));
    }

    private static UrgencyFigures UrgencyFiguresOf(List<RequestHistory> decided, IReadOnlyDictionary<string, RequestHistory> appeals)
    {
        var approved = decided.Count(r => r.Outcome == RequestOutcome.Approved);
        var partially = decided.Count(r => r.Outcome == RequestOutcome.PartiallyApproved);
        var denied = decided.Count(r => r.Outcome == RequestOutcome.Denied);

        // A denial counts as approved after appeal when an appeal filed against it was approved.
        var approvedAfterAppeal = decided.Count(r => r.Outcome == RequestOutcome.Denied
            && r.Clock.AppealedBy.Any(id => appeals.TryGetValue(id, out var appeal) && appeal.IsApproved));
        var hours = decided.Select(r => (decimal)r.TimeToDecision!.Value.TotalHours).Order().ToList();
        return new UrgencyFigures(
            decided.Count,
            approved,
            partially,
            denied,
            Percent(approved + partially, decided.Count),
            Percent(denied, decided.Count),
            approvedAfterAppeal,
            Percent(approvedAfterAppeal, decided.Count),
            decided.Count(r => r.DecidedLate),
            hours.Count == 0 ? null : Round(hours.Average()),
            hours.Count == 0 ? null : Round(Median(hours)));
    }

    /// <summary>The services each product line needs prior authorization for, under each policy version in force during the period.</summary>
    private List<ServicesRequiringAuthorization> ServicesRequiringAuthorization(ReportingPeriod period)
    {
        var lists = new List<ServicesRequiringAuthorization>();
        foreach (var version in timeline.Versions)
        {
            var until = timeline.LastDayOf(version);
            if (version.Document.Effective > period.To || (until is { } last && last < period.From))
            {
                continue;
            }

            foreach (var line in version.ProductLines)
            {
                if (!version.Document.PriorAuthorization.TryGetValue(line.Code, out var table))
                {
                    continue;
                }

                // The policy's services are procedures (CPT); it lists no drug, so none is excluded here.
                var services = version.Document.CodeGroups
                    .Where(g => table.GetValueOrDefault(g.Code) is PriorAuthRequirement.Required or PriorAuthRequirement.NotOnFile)
                    .SelectMany(g => g.CptCodes.Select(code => new ServiceRequiringAuthorization(code, g.Display, table[g.Code] == PriorAuthRequirement.NotOnFile)))
                    .OrderBy(s => s.Code, StringComparer.Ordinal)
                    .ToList();
                lists.Add(new ServicesRequiringAuthorization(line.Code, line.Display, options.For(line.Code).Program.Display(), version.Version, version.Document.Effective, until, services));
            }
        }

        return lists;
    }

    private static decimal Median(List<decimal> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static decimal? Percent(int part, int whole) => whole == 0 ? null : Round(100m * part / whole);

    private static decimal Round(decimal value) => Math.Round(value, 2, MidpointRounding.AwayFromZero);
}
