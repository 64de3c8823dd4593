using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// The medical-necessity decision for one order, from answers keyed by criterion code, under the
/// version of the policy in force on the order's date of service (P13). DTR's adaptive form and
/// PAS's Claim/$submit both decide here, so they cannot disagree.
/// </summary>
public sealed class NecessityEngine(PolicyTimeline timeline, UngovernedServices? ungoverned = null)
{
    public NecessityEngine(Policy policy) : this(PolicyTimeline.Of(policy))
    {
    }

    public PolicyTimeline Timeline { get; } = timeline;

    /// <summary>The current version (for what does not depend on the date, e.g. which family a code is in).</summary>
    public Policy Policy => Timeline.Current;

    /// <summary>What the payer says about a service the policy does not govern.</summary>
    public UngovernedServices Ungoverned { get; } = ungoverned ?? new UngovernedServices();

    /// <summary>A criterion is asked only when its gate (askedWhen) has the given answer.</summary>
    public static bool IsEnabled(CriterionDefinition criterion, IReadOnlyDictionary<string, CriterionAnswer> answers) =>
        criterion.AskedWhen is not { } when
        || (answers.TryGetValue(when.Criterion, out var gate) && gate is BooleanAnswer b && b.Value == when.EqualsValue);

    public Determination Evaluate(NecessityRequest request)
    {
        var order = request.Order;
        if (!Timeline.Governs(order.CptCode))
        {
            // P2: outside every version of the policy, the payer's configured default decides (the same one CRD and DTR state).
            return Outcome(Policy, Ungoverned.Outcome, [Ungoverned.Finding(Policy, order.CptCode)]);
        }

        if (VersionFor(order.DateOfService) is not { } policy)
        {
            return new Determination(DeterminationOutcome.Pended, [Timeline.NotInForce(order.DateOfService!.Start)], [], string.Empty);
        }

        if (policy.FindCodeGroup(order.CptCode) is not { } group)
        {
            return Outcome(policy, DeterminationOutcome.Pended, [new PolicyFinding(FindingKind.ClinicalReviewRequired, "P2", $"{order.CptCode} is not governed by version {policy.Version} of policy {policy.Document.PolicyNumber}; it needs individual review.")]);
        }

        var family = policy.Family(group.Family);
        if ((request.Term ?? CoverageTerm.Open).NotInForceOn(order.DateOfService) is { } notInForce)
        {
            // The Coverage the request names does not hold the date of service (or is not active): the
            // request pends for an eligibility check (A4) rather than being certified or denied on it.
            return Outcome(policy, DeterminationOutcome.Pended, [notInForce]);
        }

        if (policy.FindProductLine(request.ProductLine) is not { } line)
        {
            return Outcome(policy, DeterminationOutcome.Pended, [UnknownProductLine.Finding(request.ProductLine, "a clinician reviews the request")]);
        }

        var requirement = policy.PriorAuthorizationFor(line.Code, order.CptCode);
        switch (requirement)
        {
            case PriorAuthRequirement.NotPayable:
                return Outcome(policy, DeterminationOutcome.NotPayable, [new PolicyFinding(FindingKind.NotPayable, line.VariationClause ?? "P3", $"{family.Display} ({order.CptCode}) is not payable for {line.Display} members.")]);
            case PriorAuthRequirement.NotRequired:
                return Outcome(policy, DeterminationOutcome.NoAuthorizationRequired, [new PolicyFinding(FindingKind.NoPriorAuthorizationRequired, "P3", $"No prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members.")]);
        }

        // Request-level rules first: each decides the order whatever the answers say.
        var denials = new List<PolicyFinding>(2);
        var reviews = new List<PolicyFinding>(1);
        AddIfPresent(denials, OrderSetRules.AddOnWithoutPrimary(policy, order, request.AllOrders, request.History));
        var concurrency = OrderSetRules.ConcurrentProcedure(policy, order, request.AllOrders, request.History);
        AddIfPresent(concurrency?.Kind == FindingKind.ConcurrencyUncertain ? reviews : denials, concurrency);
        AddIfPresent(reviews, OrderSetRules.ConcurrentWithHeldProcedure(policy, order, request.History));
        AddIfPresent(denials, OrderSetRules.UnitsBeyondLimit(policy, order, request.AllOrders));

        Determination determination;
        if (family.CriteriaNotOnFile is { } criteriaGap)
        {
            // P13: this version's criteria for the family are not on file; a coding error still decides.
            determination = denials.Count > 0
                ? Outcome(policy, DeterminationOutcome.Denied, denials)
                : Outcome(policy, DeterminationOutcome.Pended, [NotOnFile(policy, criteriaGap), .. reviews]);
        }
        else
        {
            var invalid = FindInvalidAnswers(policy, family, request.Answers);
            if (invalid.Count > 0)
            {
                return Outcome(policy, DeterminationOutcome.Rejected, invalid);
            }

            AddIfPresent(denials, RepeatOfCertifiedTreatment(policy, family, request.Answers, request.History));
            AddIfPresent(reviews, TooSoonAfterHeldService(policy, family, order, request.History));
            AddIfPresent(reviews, LevelCountRule.FewerLevelsThanCoded(policy, family, order, request.AllOrders, request.Answers));
            determination = EvaluateCriteria(policy, family, line, request.Age, order.DateOfService, request.Answers, denials, reviews);
        }

        return requirement == PriorAuthRequirement.NotOnFile
            ? RequirementNotOnFile(policy, determination)
            : determination;
    }

    /// <summary>
    /// Criteria only: the family's criteria and age limit, without a plan or an order. Never
    /// approves outright for a plan it was not told: an approval says coverage was not assessed.
    /// </summary>
    public Determination Evaluate(CriteriaRequest request)
    {
        if (VersionFor(request.DateOfService) is not { } policy)
        {
            return new Determination(DeterminationOutcome.Pended, [Timeline.NotInForce(request.DateOfService!.Start)], [], string.Empty);
        }

        var family = policy.Family(request.FamilyCode);
        if (family.CriteriaNotOnFile is { } criteriaGap)
        {
            return Outcome(policy, DeterminationOutcome.Pended, [NotOnFile(policy, criteriaGap)]);
        }

        var invalid = FindInvalidAnswers(policy, family, request.Answers);
        if (invalid.Count > 0)
        {
            return Outcome(policy, DeterminationOutcome.Rejected, invalid);
        }

        return EvaluateCriteria(policy, family, null, request.Age, request.DateOfService, request.Answers, [], []);
    }

    /// <summary>The version in force on the first day of service; the current one when no date is known.</summary>
    private Policy? VersionFor(DateRange? dateOfService) =>
        dateOfService is { } date ? Timeline.InForceOn(date.Start) : Timeline.Current;

    /// <summary>
    /// P7.16: the levels to be treated overlap levels of the member's BVNA that this payer certified
    /// earlier — whatever the form says about earlier BVNA. The exclusion is the criterion that
    /// compares earlier levels with the planned ones (rule "intersects"). A certification is not
    /// proof the procedure was done, so the reason names the request (its id only when the history
    /// gives it: the asker's own); an authorization that was not used is cancelled, and then no
    /// longer counts.
    /// </summary>
    private static PolicyFinding? RepeatOfCertifiedTreatment(Policy policy, ServiceFamilyDefinition family, IReadOnlyDictionary<string, CriterionAnswer> answers, MemberHistory? history)
    {
        if (history is null || history.Services.Count == 0)
        {
            return null;
        }

        var exclusion = policy.RepeatTreatmentExclusion(family.Code);
        if (exclusion is null || !answers.TryGetValue(exclusion.Rule!.Criterion!, out var plannedAnswer) || plannedAnswer is not CodesAnswer planned)
        {
            return null;
        }

        var repeats = history.Services
            .Where(p => p.Status == PriorServiceStatus.Certified && policy.FamilyOf(p.Service.CptCode)?.Code == family.Code)
            .Select(p => (p.RequestId, Levels: p.TreatedLevels.Where(l => planned.Codes.Contains(l, StringComparer.Ordinal)).ToList()))
            .Where(p => p.Levels.Count > 0)
            .ToList();
        if (repeats.Count == 0)
        {
            return null;
        }

        // The levels are clinical facts the treating provider needs; a request id only when it is the asker's to know.
        var named = string.Join("; ", repeats.Select(r => $"{string.Join(", ", r.Levels)} in {(r.RequestId is { } id ? $"certified request {id}" : "a request certified for another provider")}"));
        return new PolicyFinding(FindingKind.ExclusionPresent, exclusion.Clause, $"Exclusion present: {exclusion.Display}: this payer certified {family.Display} on {named}. A certified level counts as treated (an authorization that was not used can be cancelled). {family.Display} is experimental and investigational when it is present.", exclusion.Code);
    }

    /// <summary>
    /// P5 held against this payer's own records: a criterion marked <c>intervalFromHistory</c>
    /// (days since the member's last service of the family, at least its threshold) is checked
    /// against the member's pending and certified services of the family, whatever the form says.
    /// One fewer days away than the threshold sends the order to a clinician: the records do not
    /// say at which level the other injection was, and the interval is asked per level, so it is a
    /// review, not a denial.
    /// </summary>
    private static PolicyFinding? TooSoonAfterHeldService(Policy policy, ServiceFamilyDefinition family, OrderedService order, MemberHistory? history)
    {
        if (history is null || history.Services.Count == 0 || order.DateOfService is not { } date
            || policy.CriteriaFor(family.Code).FirstOrDefault(c => c.IntervalFromHistory) is not { Rule.Threshold: { } threshold } interval)
        {
            return null;
        }

        foreach (var prior in history.Services)
        {
            if (policy.FamilyOf(prior.Service.CptCode)?.Code != family.Code || prior.Service.DateOfService is not { } other)
            {
                continue;
            }

            var apart = date.Overlaps(other) ? 0 : Math.Min(Math.Abs(date.Start.DayNumber - other.End.DayNumber), Math.Abs(other.Start.DayNumber - date.End.DayNumber));
            if (apart < threshold)
            {
                return new PolicyFinding(
                    FindingKind.ClinicalReviewRequired,
                    interval.Clause,
                    $"{interval.Display}: this payer holds {prior.Service.CptCode} on {other}{OrderSetRules.Where(prior)}, {apart} days from this {family.Display} ({date}); the policy asks at least {threshold} days between injections at one level, and the records do not say the level, so a clinician reviews it.",
                    interval.Code);
            }
        }

        return null;
    }

    private static Determination EvaluateCriteria(Policy policy, ServiceFamilyDefinition family, ProductLineDefinition? line, AgeFacts ageFacts, DateRange? dateOfService, IReadOnlyDictionary<string, CriterionAnswer> answers, List<PolicyFinding> denials, IReadOnlyList<PolicyFinding> reviews)
    {
        var age = OrderSetRules.BelowMinimumAge(family, ageFacts, dateOfService);
        if (age is { Kind: FindingKind.BelowMinimumAge } && family.MinimumAge.WhenYounger == YoungerMemberOutcome.Deny)
        {
            denials.Add(age);
            age = null;
        }

        var unmetIndications = new List<PolicyFinding>();
        var missing = new List<string>();

        foreach (var criterion in policy.CriteriaFor(family.Code))
        {
            if (!IsEnabled(criterion, answers))
            {
                continue;
            }

            if (!answers.TryGetValue(criterion.Code, out var answer))
            {
                // Unanswered is "information missing", never "no".
                if (criterion.Required)
                {
                    missing.Add(criterion.Code);
                }

                continue;
            }

            if (criterion.Rule is null)
            {
                continue;
            }

            var holds = CriterionEvaluation.RuleHolds(criterion, answer, answers) ?? false;
            switch (criterion.Role)
            {
                case CriterionRole.Exclusion when holds:
                    denials.Add(new PolicyFinding(FindingKind.ExclusionPresent, criterion.Clause, $"Exclusion present: {CriterionEvaluation.Describe(criterion, answer, answers, policy.Document.VertebralLevels)}. {family.Display} is experimental and investigational when it is present.", criterion.Code));
                    break;
                case CriterionRole.Requirement when !holds:
                    denials.Add(new PolicyFinding(FindingKind.RequirementNotMet, criterion.Clause, $"Not medically necessary: {criterion.Display} does not meet the policy's threshold ({RequirementAnswered(criterion.Rule, answer)}).", criterion.Code));
                    break;
                case CriterionRole.Indication when !holds:
                    unmetIndications.Add(new PolicyFinding(FindingKind.IndicationNotMet, criterion.Clause, $"Indication not documented as met: {criterion.Display}.", criterion.Code));
                    break;
            }
        }

        if (denials.Count > 0)
        {
            // An exclusion decides the case: no further answer can change it.
            return new Determination(DeterminationOutcome.Denied, denials, [], policy.Version) { DecidedUnder = policy };
        }

        var pendReasons = new List<PolicyFinding>(reviews);
        if (age is not null)
        {
            pendReasons.Add(age);
        }

        if (missing.Count > 0)
        {
            pendReasons.Add(new PolicyFinding(FindingKind.InformationMissing, family.CriteriaClause, $"Information missing for {missing.Count} required item(s): {string.Join(", ", missing)}."));
        }

        if (ageFacts.On(dateOfService) is null)
        {
            pendReasons.Add(new PolicyFinding(FindingKind.AgeUnknown, family.MinimumAge.Clause, "The member's age on the date of service is not known (no birth date or stated age), so the policy's age limit cannot be checked."));
        }

        if (unmetIndications.Count > 0)
        {
            // P6: a case that does not meet the indications goes to clinical review, not denial.
            pendReasons.AddRange(unmetIndications);
            pendReasons.Add(new PolicyFinding(FindingKind.ClinicalReviewRequired, family.CriteriaClause, $"The policy's indications for {family.Display} are not all met; a clinician reviews the request against the full InterQual criteria."));
        }

        if (pendReasons.Count > 0)
        {
            return new Determination(DeterminationOutcome.Pended, pendReasons, missing, policy.Version) { DecidedUnder = policy };
        }

        var approved = new List<PolicyFinding>(2)
        {
            new(FindingKind.CriteriaMet, family.CriteriaClause, $"The criteria of policy {policy.Document.PolicyNumber} for {family.Display} are met and no exclusion is present."),
        };
        if (line is null)
        {
            approved.Add(new PolicyFinding(FindingKind.CoverageNotAssessed, "P3", $"Coverage on the member's plan (P3) and the rules across the request's orders (P2, P8) were not assessed: the request names no Coverage or no {family.Display} order."));
        }
        else if (line.VariationClause is "P9" or "P11")
        {
            // P9/P11: name the LCDs the policy lists for the service, so the reviewer and provider can check the member's state.
            var lcds = policy.Document.LcdReferences.TryGetValue(family.Code, out var listed) && listed.Count > 0
                ? $" (the LCDs the policy lists for {family.Display}: {string.Join(", ", listed)})"
                : string.Empty;
            approved.Add(new PolicyFinding(FindingKind.CmsGuidanceApplies, line.VariationClause, $"For {line.Display} members CMS guidance applies{lcds}; where no LCD applies in the member's state the plan's criteria above are used."));
        }

        return new Determination(DeterminationOutcome.Approved, approved, [], policy.Version) { DecidedUnder = policy };
    }

    /// <summary>
    /// P13: the version's prior-authorization table is not on file, so whether the plan reviews the
    /// service at all is unknown: a clinician decides. What the criteria on file say is kept for them.
    /// </summary>
    private static Determination RequirementNotOnFile(Policy policy, Determination onCriteria)
    {
        if (onCriteria.Outcome is DeterminationOutcome.Rejected)
        {
            return onCriteria;
        }

        var reasons = new List<PolicyFinding> { NotOnFile(policy, policy.Document.PriorAuthorizationNotOnFile!) };
        var criteria = onCriteria.Outcome switch
        {
            DeterminationOutcome.Approved => "would be met",
            DeterminationOutcome.Denied => "would not be met",
            _ => "cannot be decided yet",
        };
        var detail = string.Join(" ", onCriteria.Reasons.Select(r => $"{r.Clause}: {r.Message}"));
        reasons.Add(new PolicyFinding(FindingKind.ClinicalReviewRequired, "P13", $"On the criteria of version {policy.Version} the request {criteria}{(detail.Length > 0 ? $" ({detail})" : string.Empty)}."));
        return new Determination(DeterminationOutcome.Pended, reasons, onCriteria.MissingCriteria, policy.Version) { DecidedUnder = policy };
    }

    private static PolicyFinding NotOnFile(Policy policy, string gap) =>
        new(FindingKind.PolicyContentNotOnFile, "P13", $"Version {policy.Version} of Medical Policy {policy.Document.PolicyNumber} (in force from {policy.Document.Effective:yyyy-MM-dd}): {gap}");

    private static List<PolicyFinding> FindInvalidAnswers(Policy policy, ServiceFamilyDefinition family, IReadOnlyDictionary<string, CriterionAnswer> answers)
    {
        var problems = new List<PolicyFinding>();
        foreach (var (code, answer) in answers)
        {
            var criterion = policy.FindCriterion(code);
            if (criterion is null || criterion.Family != family.Code)
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, family.CriteriaClause, $"'{code}' is not a criterion of the {family.Display} questionnaire.", code));
            }
            else if (!IsEnabled(criterion, answers))
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, criterion.Clause, $"'{code}' is answered although it is not asked ({criterion.AskedWhen!.Criterion} is not {criterion.AskedWhen.EqualsValue.ToString().ToLowerInvariant()}).", code));
            }
            else if (!CriterionEvaluation.FitsType(criterion, answer, policy.Document.VertebralLevels))
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, criterion.Clause, $"'{code}' needs a {criterion.Type.ToString().ToLowerInvariant()} answer{(criterion.Options is { } o ? $" (one of {string.Join(", ", o)})" : string.Empty)}.", code));
            }
            else if (answer is NumberAnswer { Value: < 0 })
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, criterion.Clause, $"'{code}' must not be negative.", code));
            }
        }

        return problems;
    }

    /// <summary>"at least 50; answered 40": the threshold, and the value that missed it when it is a number.</summary>
    private static string RequirementAnswered(CriterionRule rule, CriterionAnswer answer) =>
        answer is NumberAnswer number
            ? $"{CriterionEvaluation.Threshold(rule)}; answered {number.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}"
            : CriterionEvaluation.Threshold(rule);

    private static Determination Outcome(Policy policy, DeterminationOutcome outcome, IReadOnlyList<PolicyFinding> reasons) =>
        new(outcome, reasons, [], policy.Version) { DecidedUnder = policy };

    private static void AddIfPresent(List<PolicyFinding> findings, PolicyFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
