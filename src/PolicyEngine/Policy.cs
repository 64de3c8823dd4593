using System.Collections.Frozen;
using SpinePolicy.PolicyEngine.Document;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// A validated policy document with the look-ups the engine needs precomputed, so that a decision
/// allocates little and never scans lists. Immutable: a new policy version is a new instance.
/// </summary>
public sealed class Policy
{
    private readonly FrozenDictionary<string, CodeGroupDefinition> _groupByCode;
    private readonly FrozenDictionary<string, ServiceFamilyDefinition> _families;
    private readonly FrozenDictionary<string, AddOnCodeDefinition> _addOns;
    private readonly FrozenDictionary<string, UnitLimitDefinition> _unitLimits;
    private readonly FrozenDictionary<string, CriterionDefinition> _criteria;
    private readonly FrozenDictionary<string, CriterionDefinition[]> _criteriaByFamily;
    private readonly FrozenDictionary<string, ProductLineDefinition> _productLines;

    internal Policy(PolicyDocument document)
    {
        Document = document;
        _groupByCode = document.CodeGroups
            .SelectMany(g => g.CptCodes.Select(code => (code, g)))
            .ToFrozenDictionary(x => x.code, x => x.g, StringComparer.Ordinal);
        _families = document.ServiceFamilies.ToFrozenDictionary(f => f.Code, StringComparer.Ordinal);
        _addOns = document.AddOnCodes.ToFrozenDictionary(a => a.Code, StringComparer.Ordinal);
        _unitLimits = document.UnitLimits.ToFrozenDictionary(u => u.Code, StringComparer.Ordinal);
        _criteria = document.Criteria.ToFrozenDictionary(c => c.Code, StringComparer.Ordinal);
        _criteriaByFamily = document.Criteria
            .GroupBy(c => c.Family, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.ToArray(), StringComparer.Ordinal);
        _productLines = document.ProductLines.ToFrozenDictionary(p => p.Code, StringComparer.Ordinal);
    }

    public PolicyDocument Document { get; }

    /// <summary>
    /// This version as if it took effect on <paramref name="effective"/>: a policy-impact comparison
    /// applies a candidate revision to requests whose dates of service precede its effective date.
    /// </summary>
    public Policy AsInForceFrom(DateOnly effective) => new(Document with { Effective = effective });

    public string Url => Document.Url;

    public string Version => Document.Version;

    /// <summary>The canonical "url|version" that decisions record.</summary>
    public string VersionedUrl => $"{Document.Url}|{Document.Version}";

    /// <summary>P13: how an answer names the version that decided it (the one in force on the date of service).</summary>
    public string DecidedUnder => $"Decided under Medical Policy {Document.PolicyNumber} version {Document.Version} (in force from {Document.Effective:yyyy-MM-dd}).";

    public IReadOnlyCollection<ProductLineDefinition> ProductLines => Document.ProductLines;

    public IReadOnlyList<CriterionDefinition> Criteria => Document.Criteria;

    /// <summary>P2: true when the policy governs this CPT code.</summary>
    public bool Governs(string cptCode) => _groupByCode.ContainsKey(cptCode);

    public CodeGroupDefinition? FindCodeGroup(string cptCode) => _groupByCode.GetValueOrDefault(cptCode);

    public ServiceFamilyDefinition Family(string familyCode) => _families[familyCode];

    public ServiceFamilyDefinition? FamilyOf(string cptCode) =>
        _groupByCode.TryGetValue(cptCode, out var group) ? _families[group.Family] : null;

    public ServiceFamilyDefinition? FindFamilyByQuestionnaire(string canonicalUrl) =>
        Document.ServiceFamilies.FirstOrDefault(f => f.Questionnaire.Url == canonicalUrl);

    public bool IsProductLine(string productLine) => _productLines.ContainsKey(productLine);

    public ProductLineDefinition? FindProductLine(string productLine) => _productLines.GetValueOrDefault(productLine);

    public AddOnCodeDefinition? FindAddOn(string cptCode) => _addOns.GetValueOrDefault(cptCode);

    public UnitLimitDefinition? FindUnitLimit(string cptCode) => _unitLimits.GetValueOrDefault(cptCode);

    public CriterionDefinition? FindCriterion(string code) => _criteria.GetValueOrDefault(code);

    public IReadOnlyList<CriterionDefinition> CriteriaFor(string familyCode) =>
        _criteriaByFamily.TryGetValue(familyCode, out var list) ? list : [];

    /// <summary>
    /// P7.16: the family's exclusion that compares earlier treated levels with the planned ones
    /// (rule "intersects"); its rule's criterion is the planned levels. Null for a family without one.
    /// </summary>
    public CriterionDefinition? RepeatTreatmentExclusion(string familyCode) =>
        CriteriaFor(familyCode).FirstOrDefault(c => c.Role == CriterionRole.Exclusion && c.Rule is { Operator: RuleOperator.Intersects, Criterion: not null });

    /// <summary>P3: the prior-authorization requirement for a code on a product line.</summary>
    public PriorAuthRequirement PriorAuthorizationFor(string productLine, string cptCode)
    {
        var group = _groupByCode[cptCode];
        return Document.PriorAuthorization[productLine][group.Code];
    }
}
