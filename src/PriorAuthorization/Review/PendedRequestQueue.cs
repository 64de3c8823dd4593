using System.Text.RegularExpressions;
using SpinePolicy.Fhir;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// The reviewer's work queue: every request with a pended item, with its decision deadline, sorted
/// by the time the decision is due (earliest first), optionally for one product line.
/// </summary>
public sealed partial class PendedRequestQueue(PasRecordStore records, MemberCoverageReader coverageReader, Policy policy)
{
    /// <summary>The most requests one listing reads (oldest first); a queue this long needs more reviewers, not a longer page.</summary>
    public const int Limit = 2000;

    public async Task<IReadOnlyList<PendedRequest>> ListAsync(string? productLine, CancellationToken cancellationToken)
    {
        var pended = await records.ListPendedAsync(Limit, cancellationToken);
        return pended
            .Select(Describe)
            .Where(r => productLine is null || string.Equals(r.ProductLine, productLine, StringComparison.Ordinal))
            .OrderBy(r => r.DueBy)
            .ThenBy(r => r.Received)
            .ToList();
    }

    /// <summary>The product lines the payer knows, with their display names (for the filter).</summary>
    public IReadOnlyList<(string Code, string Display)> ProductLines =>
        policy.Document.ProductLines.Select(p => (p.Code, p.Display)).ToList();

    public PendedRequest Describe(PasRecord record)
    {
        var request = StoredRequest.Of(record);
        var response = record.Response;
        var pendedItems = response.Item.Where(i => ClaimResponseItems.ActionOf(i) == ReviewAction.Pended).ToList();
        var codes = pendedItems
            .Select(i => request.CodeOf(i.ItemSequence ?? 0) ?? "?")
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var line = request.Coverage is { } coverage ? coverageReader.ReadProductLine(coverage).ProductLine : null;
        line ??= Decision.ClaimDecider.UnknownProductLine;
        var display = policy.Document.ProductLines.FirstOrDefault(p => p.Code == line)?.Display ?? "Unknown product line";
        // The due time is the one recorded with the request (after any extension), never recomputed.
        var clock = record.Clock;
        return new PendedRequest(
            record.Id,
            request.ClaimIdentifier,
            request.MemberName,
            codes,
            line,
            display,
            clock.Received,
            clock.Urgency,
            clock.DueBy,
            ClausesOf(response, pendedItems))
        {
            Kind = clock.Kind,
            Extension = clock.Extension,
        };
    }

    /// <summary>
    /// The policy clauses (P-numbers) behind the pended items: every clause the engine's reasons
    /// name in those items' process notes, in policy order. The notes are the recorded reasons,
    /// so the queue shows what was decided, not what today's policy would say.
    /// </summary>
    public static IReadOnlyList<string> ClausesOf(Hl7.Fhir.Model.ClaimResponse response, IEnumerable<Hl7.Fhir.Model.ClaimResponse.ItemComponent> items)
    {
        var notes = items
            .SelectMany(i => i.NoteNumber)
            .Select(n => response.ProcessNote.FirstOrDefault(p => p.Number == n)?.Text)
            .OfType<string>();
        return notes
            .SelectMany(text => ClauseReference().Matches(text).Select(m => m.Value))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(ClauseOrder)
            .ToList();
    }

    private static (int, int) ClauseOrder(string clause)
    {
        var parts = clause[1..].Split('.');
        return (int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture), parts.Length > 1 ? int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) : 0);
    }

    [GeneratedRegex(@"\bP\d{1,2}(?:\.\d{1,2})?\b")]
    private static partial Regex ClauseReference();
}
