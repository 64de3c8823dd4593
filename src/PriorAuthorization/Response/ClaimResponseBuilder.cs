using System.Globalization;
using System.Security.Cryptography;
using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>
/// Turns the decisions on a claim into a PAS ClaimResponse: every item echoed by sequence with its X12
/// action, certified items with number, issue date and period, and processNotes that say in words
/// which clause decided what (and, for pended items, what is missing).
/// </summary>
internal sealed class ClaimResponseBuilder(Policy policy, PasOptions options)
{
    public const string PolicyVersionSystem = "https://spinepolicy.example.org/fhir/CodeSystem/policy-version";

    public ClaimResponse Build(string id, PasSubmission submission, IReadOnlyList<LineDecision> decisions, IReadOnlyList<string> assertionNotes, DateTimeOffset now)
    {
        var response = new ClaimResponse
        {
            Id = id,
            Meta = new Meta { Profile = [PasCodes.ClaimResponseProfile] },
            Identifier = submission.Claim.Identifier.Select(i => (Identifier)i.DeepCopy()).ToList(),
            Status = FinancialResourceStatusCodes.Active,
            Type = (CodeableConcept?)submission.Claim.Type?.DeepCopy() ?? new CodeableConcept(PasCodes.ClaimTypeSystem, "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference(submission.PatientEntry.FullUrl),
            CreatedElement = new FhirDateTime(now),
            Insurer = new ResourceReference(submission.InsurerEntry.FullUrl),
            // By the submitter's identifier: the Claim itself is not in the response Bundle (it is stored under the same id).
            Request = new ResourceReference { Identifier = (Identifier)submission.Claim.Identifier[0].DeepCopy() },
        };
        if (submission.RequestorEntry?.Resource is Organization or PractitionerRole)
        {
            response.Requestor = new ResourceReference(submission.RequestorEntry.FullUrl);
        }

        var versions = VersionsInForce(decisions);
        foreach (var (version, _) in versions)
        {
            response.Meta.Tag.Add(new Coding(PolicyVersionSystem, version.VersionedUrl, $"Medical Policy {version.Document.PolicyNumber} version {version.Version}"));
        }

        var issueDate = DateOnly.FromDateTime(now.UtcDateTime);
        string? authorization = decisions.Any(d => d.Action == ReviewAction.Certified) ? NewAuthorizationNumber(issueDate) : null;

        foreach (var decision in decisions)
        {
            var notes = new List<int>();
            foreach (var text in NotesFor(decision))
            {
                notes.Add(AddNote(response, text));
            }

            var certification = decision.Action == ReviewAction.Certified
                ? ClaimResponseItems.Certification.For(
                    $"{authorization}-{decision.Line.Sequence.ToString(CultureInfo.InvariantCulture)}",
                    issueDate,
                    decision.Line.Service.DateOfService!,
                    options.AuthorizationValidityDays)
                : null;
            var trace = submission.Claim.Item[decision.Line.Index].Extension.FirstOrDefault(e => e.Url == PasCodes.ItemTraceNumberUrl);
            response.Item.Add(ClaimResponseItems.Build(decision.Line.Sequence, decision.Action, ClaimResponseItems.ReasonsFor(decision.Determination?.Reasons ?? []), certification, notes, trace));
        }

        foreach (var note in assertionNotes)
        {
            AddNote(response, note);
        }

        foreach (var (version, items) in versions)
        {
            var which = versions.Count > 1 ? $" (item {string.Join(", ", items)})" : string.Empty;
            AddNote(response, $"Decided under Medical Policy {version.Document.PolicyNumber} \"{version.Document.Title}\", version {version.Version}, the version in force on the date of service{which} (effective {version.Document.Effective:yyyy-MM-dd}; {version.VersionedUrl}).");
        }

        if (authorization is not null)
        {
            response.PreAuthRef = authorization;
            var certified = response.Item.Where(i => ClaimResponseItems.ActionOf(i) == ReviewAction.Certified).ToList();
            response.PreAuthPeriod = OverallPeriod(certified);
        }

        Summarize(response);
        return response;
    }

    /// <summary>
    /// P13: each version of the policy that decided an item (the one in force on its date of
    /// service) with the items it decided. A claim whose items have no decision behind them names the
    /// current version; an item before the first version names none (its reason says why).
    /// </summary>
    private List<(Policy Version, List<int> Items)> VersionsInForce(IReadOnlyList<LineDecision> decisions)
    {
        var decided = decisions.Where(d => d.Determination is not null).ToList();
        if (decided.Count == 0)
        {
            return [(policy, [])];
        }

        return decided
            .Where(d => d.Determination!.DecidedUnder is not null)
            .GroupBy(d => d.Determination!.DecidedUnder!)
            .OrderBy(g => g.Key.Document.Effective)
            .Select(g => (g.Key, g.Select(d => d.Line.Sequence).ToList()))
            .ToList();
    }

    /// <summary>Outcome and disposition from the items' actions: partial while anything is pended.</summary>
    public static void Summarize(ClaimResponse response)
    {
        var actions = response.Item.Select(ClaimResponseItems.ActionOf).ToList();
        response.Outcome = actions.Any(a => a == ReviewAction.Pended)
            ? ClaimProcessingCodes.Partial
            : ClaimProcessingCodes.Complete;
        var counts = new List<string>();
        AddCount(counts, actions, ReviewAction.Certified, "certified");
        AddCount(counts, actions, ReviewAction.NotCertified, "not certified");
        AddCount(counts, actions, ReviewAction.Pended, "pended for clinical review");
        AddCount(counts, actions, ReviewAction.NoActionRequired, "need no prior authorization");
        AddCount(counts, actions, ReviewAction.Cancelled, "cancelled");
        response.Disposition = $"{actions.Count} item(s): {string.Join(", ", counts)}.";
    }

    public static int AddNote(ClaimResponse response, string text)
    {
        var number = response.ProcessNote.Count + 1;
        response.ProcessNote.Add(new ClaimResponse.NoteComponent
        {
            Number = number,
            Type = NoteType.Display,
            Text = text,
        });
        return number;
    }

    public string NewAuthorizationNumber(DateOnly issueDate)
    {
        Span<byte> random = stackalloc byte[5];
        RandomNumberGenerator.Fill(random);
        return $"{options.AuthorizationNumberPrefix}-{issueDate:yyyyMMdd}-{Convert.ToHexString(random)}";
    }

    public static Period? OverallPeriod(IEnumerable<ClaimResponse.ItemComponent> certified)
    {
        var periods = certified
            .Select(i => i.Extension.FirstOrDefault(e => e.Url == PasCodes.ItemPreAuthPeriodUrl)?.Value as Period)
            .Where(p => p is not null)
            .ToList();
        if (periods.Count == 0)
        {
            return null;
        }

        return new Period
        {
            Start = periods.Select(p => p!.Start).Min(StringComparer.Ordinal),
            End = periods.Select(p => p!.End).Max(StringComparer.Ordinal),
        };
    }

    private IEnumerable<string> NotesFor(LineDecision decision)
    {
        var line = decision.Line;
        var prefix = $"Item {line.Sequence} ({line.ServiceCode})";
        var determination = decision.Determination;
        switch (decision.Action)
        {
            case ReviewAction.Cancelled:
                yield return $"{prefix}: cancelled by the submitter; not reviewed.";
                yield break;
            case ReviewAction.NoActionRequired:
                foreach (var reason in determination!.Reasons)
                {
                    yield return $"{prefix}: no prior authorization is required, so none is issued. {reason.Clause}: {reason.Message}";
                }

                yield break;
            case ReviewAction.Certified:
                foreach (var reason in determination!.Reasons)
                {
                    yield return $"{prefix}: certified. {reason.Clause}: {reason.Message}";
                }

                yield break;
            case ReviewAction.NotCertified:
                var words = determination!.Outcome == PolicyEngine.Necessity.DeterminationOutcome.NotPayable ? "not certified: not payable" : "not certified";
                foreach (var reason in determination.Reasons)
                {
                    yield return $"{prefix}: {words}. {reason.Clause}: {reason.Message}";
                }

                yield break;
            case ReviewAction.Pended:
                if (determination!.MissingCriteria.Count > 0)
                {
                    // Each missing item names its own clause (an unanswered exclusion is P7.x, not the family's P6).
                    var missing = determination.MissingCriteria.Select(code => policy.FindCriterion(code) is { } criterion ? $"{criterion.Display} ({criterion.Clause})" : code);
                    yield return $"{prefix}: pended; information missing: {string.Join("; ", missing)}. Send the answers (DTR questionnaire) to complete the review; nothing is denied for missing information.";
                }

                foreach (var reason in determination.Reasons.Where(r => r.Kind != FindingKind.InformationMissing))
                {
                    yield return $"{prefix}: pended for clinical review. {reason.Clause}: {reason.Message}";
                }

                yield break;
        }
    }

    private static void AddCount(List<string> counts, List<ReviewAction?> actions, ReviewAction action, string words)
    {
        var count = actions.Count(a => a == action);
        if (count > 0)
        {
            counts.Add($"{count} {words}");
        }
    }
}
