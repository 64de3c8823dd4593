namespace SpinePolicy.PolicyEngine.Document;

/// <summary>
/// Checks what the JSON schema alone cannot: that every reference inside the document resolves and
/// the P3 matrix is complete. A malformed policy must stop start-up, not surface on a request.
/// </summary>
internal static class PolicyDocumentValidator
{
    public static void Validate(PolicyDocument d)
    {
        Require(!string.IsNullOrWhiteSpace(d.Url), "url", "must not be empty");
        Require(!string.IsNullOrWhiteSpace(d.Version), "version", "must not be empty");
        Require(d.ProductLines.Count > 0, "productLines", "must list at least one product line");
        Require(d.CodeGroups.Count > 0, "codeGroups", "must list at least one code group");

        var families = d.ServiceFamilies.Select(f => f.Code).ToHashSet(StringComparer.Ordinal);
        var groups = d.CodeGroups.Select(g => g.Code).ToHashSet(StringComparer.Ordinal);
        var levels = d.VertebralLevels.ToHashSet(StringComparer.Ordinal);
        var allCodes = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (group, i) in d.CodeGroups.Select((g, i) => (g, i)))
        {
            Require(families.Contains(group.Family), $"codeGroups[{i}].family", $"'{group.Family}' is not a service family");
            Require(group.CptCodes.Count > 0, $"codeGroups[{i}].cptCodes", "must not be empty");
            foreach (var code in group.CptCodes)
            {
                Require(allCodes.Add(code), $"codeGroups[{i}].cptCodes", $"code {code} appears in more than one group");
            }
        }

        foreach (var (addOn, i) in d.AddOnCodes.Select((a, i) => (a, i)))
        {
            Require(allCodes.Contains(addOn.Code), $"addOnCodes[{i}].code", $"{addOn.Code} is not in any code group");
            Require(addOn.PrimaryCodes.Count > 0 && addOn.PrimaryCodes.All(allCodes.Contains), $"addOnCodes[{i}].primaryCodes", "must name codes of the policy");
        }

        foreach (var (limit, i) in d.UnitLimits.Select((l, i) => (l, i)))
        {
            Require(allCodes.Contains(limit.Code), $"unitLimits[{i}].code", $"{limit.Code} is not in any code group");
            Require(limit.MaxUnits > 0, $"unitLimits[{i}].maxUnits", "must be positive");
        }

        foreach (var (count, i) in d.LevelCounts.Select((c, i) => (c, i)))
        {
            Require(d.AddOnCodes.Any(a => a.Code == count.AddOnCode), $"levelCounts[{i}].addOnCode", $"{count.AddOnCode} is not an add-on code");
            Require(d.Criteria.Any(c => c.Code == count.Criterion && c.Type == CriterionType.Levels), $"levelCounts[{i}].criterion", $"'{count.Criterion}' is not a levels criterion");
            Require(count.PrimaryLevels > 0, $"levelCounts[{i}].primaryLevels", "must be positive");
        }

        foreach (var line in d.ProductLines)
        {
            Require(d.PriorAuthorization.TryGetValue(line.Code, out var row), $"priorAuthorization.{line.Code}", "is missing");
            foreach (var group in groups)
            {
                Require(row!.ContainsKey(group), $"priorAuthorization.{line.Code}.{group}", "is missing");
            }

            foreach (var key in row!.Keys)
            {
                Require(groups.Contains(key), $"priorAuthorization.{line.Code}.{key}", "is not a code group");
            }
        }

        foreach (var key in d.PriorAuthorization.Keys)
        {
            Require(d.ProductLines.Any(p => p.Code == key), $"priorAuthorization.{key}", "is not a product line");
        }

        // P13: a cell may say "not on file" only when the document says why.
        var notOnFile = d.PriorAuthorization.Values.Any(row => row.Values.Contains(PriorAuthRequirement.NotOnFile));
        Require(!notOnFile || !string.IsNullOrWhiteSpace(d.PriorAuthorizationNotOnFile), "priorAuthorizationNotOnFile", "must say why cells are 'not-on-file'");

        foreach (var (family, i) in d.ServiceFamilies.Select((f, i) => (f, i)))
        {
            Require(family.MinimumAge.Years is >= 0 and < 130, $"serviceFamilies[{i}].minimumAge.years", "must be between 0 and 129");
            Require(Uri.IsWellFormedUriString(family.Questionnaire.Url, UriKind.Absolute), $"serviceFamilies[{i}].questionnaire.url", "must be an absolute URL");
            if (family.CriteriaNotOnFile is not null)
            {
                Require(d.Criteria.All(c => c.Family != family.Code), $"serviceFamilies[{i}].criteriaNotOnFile", $"says the criteria are not on file, yet criteria of '{family.Code}' are listed");
            }

            if (family.Concurrency is { } concurrency)
            {
                foreach (var other in concurrency.ExcludedWithFamilies)
                {
                    Require(families.Contains(other), $"serviceFamilies[{i}].concurrency.excludedWithFamilies", $"'{other}' is not a service family");
                }

                foreach (var (range, r) in concurrency.ProcedureRanges.Concat(concurrency.NotConcurrentRanges).Select((range, r) => (range, r)))
                {
                    Require(range.From.Length == range.To.Length && range.From.All(char.IsAsciiDigit) && range.To.All(char.IsAsciiDigit) && string.CompareOrdinal(range.From, range.To) <= 0,
                        $"serviceFamilies[{i}].concurrency ranges[{r}]", $"'{range.From}'–'{range.To}' must be two numeric codes of one length, the first not above the second");
                }
            }
        }

        var criteria = d.Criteria.ToDictionary(c => c.Code, StringComparer.Ordinal);
        Require(criteria.Count == d.Criteria.Count, "criteria", "criterion codes must be unique");
        foreach (var (c, i) in d.Criteria.Select((c, i) => (c, i)))
        {
            var at = $"criteria[{i}] ({c.Code})";
            Require(families.Contains(c.Family), $"{at}.family", $"'{c.Family}' is not a service family");
            Require(c.Clause.StartsWith('P'), $"{at}.clause", "must name a policy clause (P1–P14)");
            Require(c.Role == CriterionRole.Context || c.Rule is not null, $"{at}.rule", $"a {c.Role} criterion needs a rule");
            if (c.AskedWhen is { } when)
            {
                Require(criteria.TryGetValue(when.Criterion, out var gate) && gate.Type == CriterionType.Boolean, $"{at}.askedWhen.criterion", $"'{when.Criterion}' must be a boolean criterion");
            }

            if (c.Type == CriterionType.Choice)
            {
                Require(c.Options is { Count: > 0 }, $"{at}.options", "a choice criterion needs options");
            }

            if (c.Rule is { } rule)
            {
                ValidateRule(c, rule, at, criteria, levels);
            }

            if (c.IntervalFromHistory)
            {
                Require(c.Type == CriterionType.Integer && c.Rule is { Operator: RuleOperator.AtLeast, Threshold: not null }, $"{at}.intervalFromHistory", "needs an integer criterion (days) whose rule is 'atLeast' a threshold");
            }
        }
    }

    private static void ValidateRule(CriterionDefinition c, CriterionRule rule, string at, Dictionary<string, CriterionDefinition> criteria, HashSet<string> levels)
    {
        switch (rule.Operator)
        {
            case RuleOperator.EqualsValue:
                Require(c.Type == CriterionType.Boolean && rule.Value is not null, $"{at}.rule.value", "'equals' needs a boolean criterion and a boolean value");
                break;
            case RuleOperator.GreaterThan or RuleOperator.AtLeast:
                Require(c.Type is CriterionType.Integer or CriterionType.Decimal && rule.Threshold is not null, $"{at}.rule.threshold", "a comparison needs a numeric criterion and a threshold");
                break;
            case RuleOperator.AnyOutside:
                Require(c.Type == CriterionType.Levels && rule.Values is { Count: > 0 } && rule.Values.All(levels.Contains), $"{at}.rule.values", "must list vertebral levels of the policy");
                break;
            case RuleOperator.Intersects:
                Require(c.Type == CriterionType.Levels && rule.Criterion is not null && criteria.TryGetValue(rule.Criterion, out var other) && other.Type == CriterionType.Levels, $"{at}.rule.criterion", "must name another levels criterion");
                break;
            default:
                throw new PolicyDocumentException($"Policy document field '{at}.rule.operator' is not supported.");
        }
    }

    private static void Require(bool condition, string field, string problem)
    {
        if (!condition)
        {
            throw new PolicyDocumentException($"Policy document field '{field}' {problem}.");
        }
    }
}
