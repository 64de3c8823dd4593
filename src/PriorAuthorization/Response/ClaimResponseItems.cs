using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine;

namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>Writes one ClaimResponse.item the way PAS 2.0.1 shapes it: the review action on a "submitted" adjudication.</summary>
public static class ClaimResponseItems
{
    /// <summary>What a certification carries (A1 only).</summary>
    internal sealed record Certification(string Number, DateOnly IssueDate, DateOnly Start, DateOnly End)
    {
        /// <summary>
        /// The certification for these dates of service: a window is certified as asked; a single
        /// day opens a window of <paramref name="validityDays"/> from it, which ends on the
        /// calendar's last day at the latest (a service dated near 9999-12-31 was a 500).
        /// </summary>
        public static Certification For(string number, DateOnly issueDate, PolicyEngine.Facts.DateRange dates, int validityDays) =>
            new(number, issueDate, dates.Start, !dates.IsSingleDay ? dates.End
                : dates.Start.DayNumber > DateOnly.MaxValue.DayNumber - validityDays ? DateOnly.MaxValue
                : dates.Start.AddDays(validityDays));
    }

    /// <summary>An X12 886 reason with the words that explain it in this case.</summary>
    internal sealed record Reason(string Code, string Display, string Text);

    /// <summary>The X12 886 reasons for engine findings (one per code; findings without a code add none).</summary>
    internal static IEnumerable<Reason> ReasonsFor(IEnumerable<PolicyFinding> findings)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var finding in findings)
        {
            if (ReviewReasons.For(finding.Kind) is { } x12 && seen.Add(x12.Code))
            {
                yield return new Reason(x12.Code, x12.Display, $"{finding.Clause}: {finding.Message}");
            }
        }
    }

    internal static ClaimResponse.ItemComponent Build(
        int sequence,
        ReviewAction action,
        IEnumerable<Reason> reasons,
        Certification? certification,
        IEnumerable<int> noteNumbers,
        Extension? traceNumber)
    {
        var item = new ClaimResponse.ItemComponent { ItemSequence = sequence };
        if (traceNumber is not null)
        {
            item.Extension.Add((Extension)traceNumber.DeepCopy());
        }

        if (certification is not null)
        {
            item.Extension.Add(new Extension(PasCodes.ItemPreAuthIssueDateUrl, new Date(certification.IssueDate.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))));
            item.Extension.Add(new Extension(PasCodes.ItemPreAuthPeriodUrl, Period(certification.Start, certification.End)));
        }

        item.NoteNumberElement = noteNumbers.Select(n => new PositiveInt(n)).ToList();
        item.Adjudication.Add(Adjudication(action, reasons, certification?.Number));
        return item;
    }

    /// <summary>The X12 action on an item, read back (for inquiry, review and notification).</summary>
    public static ReviewAction? ActionOf(ClaimResponse.ItemComponent item) =>
        item.Adjudication
            .SelectMany(a => a.Extension.Where(e => e.Url == PasCodes.ReviewActionUrl))
            .SelectMany(e => e.Extension.Where(x => x.Url == PasCodes.ReviewActionCodeUrl))
            .Select(e => ReviewActions.FromX12((e.Value as CodeableConcept)?.Coding.FirstOrDefault(c => c.System == PasCodes.X12ActionSystem)?.Code))
            .FirstOrDefault(a => a is not null);

    public static Period Period(DateOnly start, DateOnly end) => new()
    {
        Start = start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        End = end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
    };

    private static ClaimResponse.AdjudicationComponent Adjudication(ReviewAction action, IEnumerable<Reason> reasons, string? number)
    {
        var (code, display) = action.X12();
        var review = new Extension { Url = PasCodes.ReviewActionUrl };
        review.Extension.Add(new Extension(PasCodes.ReviewActionCodeUrl, new CodeableConcept { Coding = [new Coding(PasCodes.X12ActionSystem, code, display)] }));
        if (number is not null)
        {
            review.Extension.Add(new Extension("number", new FhirString(number)));
        }

        foreach (var reason in reasons)
        {
            review.Extension.Add(new Extension("reasonCode", new CodeableConcept(PasCodes.X12ReviewReasonSystem, reason.Code, reason.Display, reason.Text)));
        }

        var adjudication = new ClaimResponse.AdjudicationComponent
        {
            Category = new CodeableConcept(PasCodes.AdjudicationSystem, "submitted"),
        };
        adjudication.Extension.Add(review);
        return adjudication;
    }
}
