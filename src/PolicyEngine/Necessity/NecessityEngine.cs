using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.PolicyEngine.Necessity;

/// <summary>
/// The medical-necessity decision for one order, from answers keyed by criterion code. DTR's
/// adaptive form and PAS's Claim/$submit both decide here, so they cannot disagree.
/// </summary>
public sealed class NecessityEngine(Policy policy)
{
    public Policy Policy { get; } = policy;

    /// <summary>A criterion is asked only when its gate (askedWhen) has the given answer.</summary>
    public static bool IsEnabled(CriterionDefinition criterion, IReadOnlyDictionary<string, CriterionAnswer> answers) =>
        criterion.AskedWhen is not { } when
        || (answers.TryGetValue(when.Criterion, out var gate) && gate is BooleanAnswer b && b.Value == when.EqualsValue);

    public Determination Evaluate(NecessityRequest request)
    {
        var order = request.Order;
        if (Policy.FindCodeGroup(order.CptCode) is not { } group)
        {
            return Outcome(DeterminationOutcome.Pended, [new PolicyFinding(FindingKind.ClinicalReviewRequired, "P2", $"{order.CptCode} is not governed by policy {Policy.Document.PolicyNumber}; it needs individual review.")]);
        }

        var family = Policy.Family(group.Family);
        if (Policy.FindProductLine(request.ProductLine) is not { } line)
        {
            return Outcome(DeterminationOutcome.Pended, [new PolicyFinding(FindingKind.UnknownProductLine, "P3", $"The member's product line '{request.ProductLine}' is not one this policy covers.")]);
        }

        switch (Policy.PriorAuthorizationFor(line.Code, order.CptCode))
        {
            case PriorAuthRequirement.NotPayable:
                return Outcome(DeterminationOutcome.NotPayable, [new PolicyFinding(FindingKind.NotPayable, line.VariationClause ?? "P3", $"{family.Display} ({order.CptCode}) is not payable for {line.Display} members.")]);
            case PriorAuthRequirement.NotRequired:
                return Outcome(DeterminationOutcome.NoAuthorizationRequired, [new PolicyFinding(FindingKind.NoPriorAuthorizationRequired, "P3", $"No prior authorization is required for {order.CptCode} ({group.Display}) for {line.Display} members.")]);
        }

        var invalid = FindInvalidAnswers(family, request.Answers);
        if (invalid.Count > 0)
        {
            return Outcome(DeterminationOutcome.Rejected, invalid);
        }

        // Request-level rules first: each decides the order whatever the answers say.
        var denials = new List<PolicyFinding>(2);
        AddIfPresent(denials, OrderSetRules.AddOnWithoutPrimary(Policy, order, request.AllOrders));
        AddIfPresent(denials, OrderSetRules.ConcurrentProcedure(Policy, order, request.AllOrders));
        AddIfPresent(denials, OrderSetRules.UnitsBeyondLimit(Policy, order));

        return EvaluateCriteria(family, line, request.Age, order.DateOfService, request.Answers, denials);
    }

    /// <summary>
    /// Criteria only: the family's criteria and age limit, without a plan or an order. Never
    /// approves outright for a plan it was not told: an approval says coverage was not assessed.
    /// </summary>
    public Determination Evaluate(CriteriaRequest request)
    {
        var family = Policy.Family(request.FamilyCode);
        var invalid = FindInvalidAnswers(family, request.Answers);
        if (invalid.Count > 0)
        {
            return Outcome(DeterminationOutcome.Rejected, invalid);
        }

        return EvaluateCriteria(family, null, request.Age, request.DateOfService, request.Answers, []);
    }

    private Determination EvaluateCriteria(ServiceFamilyDefinition family, ProductLineDefinition? line, AgeFacts ageFacts, DateRange? dateOfService, IReadOnlyDictionary<string, CriterionAnswer> answers, List<PolicyFinding> denials)
    {
        var age = OrderSetRules.BelowMinimumAge(family, ageFacts, dateOfService);
        if (age is { Kind: FindingKind.BelowMinimumAge } && family.MinimumAge.WhenYounger == YoungerMemberOutcome.Deny)
        {
            denials.Add(age);
            age = null;
        }

        var unmetIndications = new List<PolicyFinding>();
        var missing = new List<string>();

        foreach (var criterion in Policy.CriteriaFor(family.Code))
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
                    denials.Add(new PolicyFinding(FindingKind.ExclusionPresent, criterion.Clause, $"Exclusion present: {criterion.Display}. {family.Display} is experimental and investigational when it is present.", criterion.Code));
                    break;
                case CriterionRole.Requirement when !holds:
                    denials.Add(new PolicyFinding(FindingKind.RequirementNotMet, criterion.Clause, $"Not medically necessary: {criterion.Display} does not meet the policy's threshold ({Describe(criterion.Rule)}).", criterion.Code));
                    break;
                case CriterionRole.Indication when !holds:
                    unmetIndications.Add(new PolicyFinding(FindingKind.IndicationNotMet, criterion.Clause, $"Indication not documented as met: {criterion.Display}.", criterion.Code));
                    break;
            }
        }

        if (denials.Count > 0)
        {
            // An exclusion decides the case: no further answer can change it.
            return new Determination(DeterminationOutcome.Denied, denials, [], Policy.Version);
        }

        var pendReasons = new List<PolicyFinding>();
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
            return new Determination(DeterminationOutcome.Pended, pendReasons, missing, Policy.Version);
        }

        var approved = new List<PolicyFinding>(2)
        {
            new(FindingKind.CriteriaMet, family.CriteriaClause, $"The criteria of policy {Policy.Document.PolicyNumber} for {family.Display} are met and no exclusion is present."),
        };
        if (line is null)
        {
            approved.Add(new PolicyFinding(FindingKind.CoverageNotAssessed, "P3", $"Coverage on the member's plan (P3) and the rules across the request's orders (P2, P8) were not assessed: the request names no Coverage or no {family.Display} order."));
        }
        else if (line.VariationClause is "P9" or "P11")
        {
            approved.Add(new PolicyFinding(FindingKind.CmsGuidanceApplies, line.VariationClause, $"For {line.Display} members CMS guidance applies; where no LCD applies in the member's state the plan's criteria above are used."));
        }

        return new Determination(DeterminationOutcome.Approved, approved, [], Policy.Version);
    }

    private List<PolicyFinding> FindInvalidAnswers(ServiceFamilyDefinition family, IReadOnlyDictionary<string, CriterionAnswer> answers)
    {
        var problems = new List<PolicyFinding>();
        foreach (var (code, answer) in answers)
        {
            var criterion = Policy.FindCriterion(code);
            if (criterion is null || criterion.Family != family.Code)
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, family.CriteriaClause, $"'{code}' is not a criterion of the {family.Display} questionnaire.", code));
            }
            else if (!IsEnabled(criterion, answers))
            {
                problems.Add(new PolicyFinding(FindingKind.InvalidAnswer, criterion.Clause, $"'{code}' is answered although it is not asked ({criterion.AskedWhen!.Criterion} is not {criterion.AskedWhen.EqualsValue.ToString().ToLowerInvariant()}).", code));
            }
            else if (!CriterionEvaluation.FitsType(criterion, answer, Policy.Document.VertebralLevels))
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

    private static string Describe(CriterionRule rule) => rule.Operator switch
    {
        RuleOperator.AtLeast => $"at least {rule.Threshold}",
        RuleOperator.GreaterThan => $"greater than {rule.Threshold}",
        _ => rule.Operator.ToString(),
    };

    private Determination Outcome(DeterminationOutcome outcome, IReadOnlyList<PolicyFinding> reasons) =>
        new(outcome, reasons, [], Policy.Version);

    private static void AddIfPresent(List<PolicyFinding> findings, PolicyFinding? finding)
    {
        if (finding is not null)
        {
            findings.Add(finding);
        }
    }
}
