using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.Storage;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// The deterministic $member-match rule (HRex: a match needs the member or subscriber id at least;
/// no pure demographic match):
/// 1. Candidates are our Coverages whose identifier equals a CoverageToMatch identifier
///    (system|value when the system is given) or its subscriberId (any system).
/// 2. A candidate matches when its beneficiary Patient agrees with MemberPatient on family name
///    and first given name (case-insensitive, trimmed), birth date (exactly), and gender when both
///    state one.
/// 3. Exactly one distinct Patient is a match; none or several are not (422 at the edge).
/// One request is one guess: it may name at most <see cref="MaxMemberIds"/> member ids and
/// <see cref="MaxNames"/> names (<see cref="TooManyGuesses"/>), else the lockout, which counts
/// requests, would let a list of guesses through for the price of one failure.
/// </summary>
internal sealed class MemberMatcher(IResourceStore store)
{
    private const int MaxCandidates = 50;

    /// <summary>Distinct id values a CoverageToMatch may carry: the member's id and the subscriber's (a dependant's card has both).</summary>
    public const int MaxMemberIds = 2;

    /// <summary>Distinct family + first given names a MemberPatient may carry (e.g. official, usual and maiden).</summary>
    public const int MaxNames = 3;

    /// <summary>
    /// Why this request names more candidates than one honest match needs, or null. Checked before
    /// anything is looked up, so a refused list probes nothing.
    /// </summary>
    public static string? TooManyGuesses(MemberMatchRequest request)
    {
        var ids = LookupIdentifiers(request.CoverageToMatch).Select(i => i.Value).Distinct(StringComparer.Ordinal).Count();
        if (ids > MaxMemberIds)
        {
            return $"CoverageToMatch names {ids} different member ids; a match tries at most {MaxMemberIds} (the member's and the subscriber's). Send one member's card per request.";
        }

        var names = request.MemberPatient.Name
            .Select(n => (Family: n.Family?.Trim().ToUpperInvariant(), Given: n.Given.FirstOrDefault()?.Trim().ToUpperInvariant()))
            .Distinct()
            .Count();
        return names > MaxNames
            ? $"MemberPatient carries {names} different names; a match compares at most {MaxNames}. Send the member's own names only."
            : null;
    }

    public async Task<MemberMatchOutcome> MatchAsync(MemberMatchRequest request, CancellationToken cancellationToken)
    {
        var matches = new Dictionary<string, (Patient Patient, Coverage Coverage, Identifier Identifier)>(StringComparer.Ordinal);
        foreach (var identifier in LookupIdentifiers(request.CoverageToMatch))
        {
            var page = await store.SearchAsync(new ResourceSearch("Coverage")
            {
                Identifiers = [[new IdentifierToken(identifier.System, identifier.Value)]],
                Count = MaxCandidates,
            }, cancellationToken);

            foreach (var stored in page.Resources.Where(r => !r.Deleted))
            {
                var coverage = StoredResources.ToResource<Coverage>(stored);
                if (coverage.Status == FinancialResourceStatusCodes.EnteredInError
                    || PatientReferences.IdOf(coverage.Beneficiary) is not { } patientId
                    || matches.ContainsKey(patientId))
                {
                    continue;
                }

                if (await store.ReadAsync("Patient", patientId, cancellationToken) is not { Deleted: false } storedPatient)
                {
                    continue;
                }

                var patient = StoredResources.ToResource<Patient>(storedPatient);
                if (DemographicsAgree(request.MemberPatient, patient))
                {
                    var matchedIdentifier = coverage.Identifier.FirstOrDefault(i => i.Value == identifier.Value) ?? new Identifier(identifier.System, identifier.Value);
                    matches[patientId] = (patient, coverage, matchedIdentifier);
                }
            }
        }

        return matches.Count switch
        {
            0 => MemberMatchOutcome.None,
            1 => new MemberMatchOutcome(MemberMatchResult.Matched, matches.Values.Single().Patient, matches.Values.Single().Coverage, matches.Values.Single().Identifier),
            _ => MemberMatchOutcome.Several,
        };
    }

    private static IEnumerable<(string? System, string Value)> LookupIdentifiers(Coverage coverage)
    {
        var seen = new HashSet<(string?, string)>();
        foreach (var identifier in coverage.Identifier.Where(i => !string.IsNullOrWhiteSpace(i.Value)))
        {
            var value = identifier.Value!.Trim();
            if (seen.Add((identifier.System, value)))
            {
                yield return (identifier.System, value);
            }
        }

        if (!string.IsNullOrWhiteSpace(coverage.SubscriberId) && seen.Add((null, coverage.SubscriberId.Trim())))
        {
            yield return (null, coverage.SubscriberId.Trim());
        }
    }

    public static bool DemographicsAgree(Patient requested, Patient ours)
    {
        if (string.IsNullOrEmpty(requested.BirthDate) || requested.BirthDate != ours.BirthDate)
        {
            return false;
        }

        if (requested.Gender is { } gender && ours.Gender is { } ourGender && gender != ourGender)
        {
            return false;
        }

        return requested.Name.Any(asked => ours.Name.Any(known =>
            Same(asked.Family, known.Family) && Same(asked.Given.FirstOrDefault(), known.Given.FirstOrDefault())));
    }

    private static bool Same(string? a, string? b) =>
        !string.IsNullOrWhiteSpace(a) && !string.IsNullOrWhiteSpace(b)
        && string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);
}
