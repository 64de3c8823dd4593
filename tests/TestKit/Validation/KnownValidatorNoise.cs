using System.Text.RegularExpressions;
using Hl7.Fhir.Model;

namespace SpinePolicy.TestKit.Validation;

/// <summary>
/// The narrow allow-list of validator output that says nothing about our resources (documented in
/// tests/TestKit/Validation/README.md). An entry hides an issue only when its issue type, Firely
/// issue number (where given), severity, location and message all match; everything else the
/// validator says is reported.
/// </summary>
public static partial class KnownValidatorNoise
{
    /// <summary>One allow-listed kind of noise.</summary>
    /// <param name="Reason">Why this is noise.</param>
    /// <param name="Code">The issue type it must have.</param>
    /// <param name="FirelyIssueNumber">Firely's issue number it must have, or null for any.</param>
    /// <param name="Severities">The severities it may have.</param>
    /// <param name="Expression">Pattern the issue's location must match.</param>
    /// <param name="Text">Pattern the issue's message must match.</param>
    public sealed record Entry(
        string Reason,
        OperationOutcome.IssueType Code,
        string? FirelyIssueNumber,
        OperationOutcome.IssueSeverity[] Severities,
        Regex Expression,
        Regex Text)
    {
        public bool Matches(ValidationIssue issue) =>
            issue.Code == Code
            && (FirelyIssueNumber is null || string.Equals(issue.FirelyIssueNumber, FirelyIssueNumber, StringComparison.Ordinal))
            && Severities.Contains(issue.Severity)
            && Expression.IsMatch(issue.Expression)
            && Text.IsMatch(issue.Text);
    }

    public static IReadOnlyList<Entry> Entries { get; } =
    [
        // X12 (PAS), CPT and NUBC value sets are defined over code systems that are not distributed
        // with the packages (licensed content), so the local terminology service cannot expand them
        // and warns (Firely 6006) that it could not check the code. Only warnings, and only when
        // the message names one of those code systems or value sets.
        new(
            "Terminology warning: an X12, CPT or NUBC value set cannot be expanded locally",
            OperationOutcome.IssueType.Informational,
            "6006",
            [OperationOutcome.IssueSeverity.Warning],
            AnyLocation(),
            LicensedTerminology()),

        // The subscriptions backport states R5's bdl-3b on its R4 notification Bundle profile; the
        // rule reads history-Bundle semantics into a Bundle of type "history" that the backport
        // itself defines without request/response on its entries, so a conformant notification
        // always fails it. Hidden only at the Bundle root, only for bdl-3b.
        new(
            "R5-style bdl-3b on backport notification Bundles",
            OperationOutcome.IssueType.Invariant,
            "1012",
            [OperationOutcome.IssueSeverity.Error],
            BundleRoot(),
            Bdl3b()),

        // Firely checks narrative against a stricter XHTML schema than FHIR's own txt-1/txt-2
        // rules; a generated narrative can trip it without being wrong. Only at a narrative div,
        // and only for messages about XHTML.
        new(
            "Strict-XHTML check of a narrative",
            OperationOutcome.IssueType.Value,
            null,
            [OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueSeverity.Warning],
            NarrativeDiv(),
            XhtmlMessage()),
        new(
            "Strict-XHTML check of a narrative",
            OperationOutcome.IssueType.Invalid,
            null,
            [OperationOutcome.IssueSeverity.Error, OperationOutcome.IssueSeverity.Warning],
            NarrativeDiv(),
            XhtmlMessage()),
    ];

    public static bool IsNoise(ValidationIssue issue) => Entries.Any(entry => entry.Matches(issue));

    [GeneratedRegex(".*")]
    private static partial Regex AnyLocation();

    [GeneratedRegex(@"^Bundle$")]
    private static partial Regex BundleRoot();

    [GeneratedRegex(@"x12\.org|www\.ama-assn\.org/go/cpt|nubc\.org", RegexOptions.IgnoreCase)]
    private static partial Regex LicensedTerminology();

    [GeneratedRegex(@"\bconstraint bdl-3b\b")]
    private static partial Regex Bdl3b();

    [GeneratedRegex(@"(^|\.)text(\[0\])?\.div(\[0\])?$")]
    private static partial Regex NarrativeDiv();

    [GeneratedRegex(@"xhtml|html", RegexOptions.IgnoreCase)]
    private static partial Regex XhtmlMessage();
}
