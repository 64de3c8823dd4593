using System.Text.Json.Serialization;

namespace SpinePolicy.PolicyEngine.Document;

/// <summary>
/// One version of the published policy as data (fhir-resources/policy/097/policy-097-*.json, one file
/// per version, each in force from <see cref="Effective"/> until the next). Revising the policy means
/// publishing a new version of this document, not changing code (P13).
/// </summary>
public sealed record PolicyDocument
{
    public required string PolicyNumber { get; init; }
    public required string Title { get; init; }
    public required string Url { get; init; }
    public required string Version { get; init; }
    public required string Status { get; init; }
    public required DateOnly Effective { get; init; }
    public string? PublishedDocumentUrl { get; init; }
    public IReadOnlyList<PolicyHistoryEntry> History { get; init; } = [];
    public required string CriteriaSystem { get; init; }
    public required string LevelSystem { get; init; }
    public required string CptSystem { get; init; }
    public required IReadOnlyList<ProductLineDefinition> ProductLines { get; init; }
    public required IReadOnlyList<ServiceFamilyDefinition> ServiceFamilies { get; init; }
    public required IReadOnlyList<CodeGroupDefinition> CodeGroups { get; init; }
    public IReadOnlyList<AddOnCodeDefinition> AddOnCodes { get; init; } = [];
    public IReadOnlyList<UnitLimitDefinition> UnitLimits { get; init; } = [];

    /// <summary>P2: how many levels a request's codes treat, held against the levels its form names.</summary>
    public IReadOnlyList<LevelCountDefinition> LevelCounts { get; init; } = [];

    /// <summary>P3: product line → code group → requirement.</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, PriorAuthRequirement>> PriorAuthorization { get; init; }

    /// <summary>
    /// P13: why cells of <see cref="PriorAuthorization"/> are "not-on-file" in this version (an
    /// earlier version whose table the published history only mentions); required when any is.
    /// </summary>
    public string? PriorAuthorizationNotOnFile { get; init; }

    public required IReadOnlyList<string> VertebralLevels { get; init; }
    public required IReadOnlyList<CriterionDefinition> Criteria { get; init; }
    public IReadOnlyDictionary<string, IReadOnlyList<string>> LcdReferences { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

public sealed record PolicyHistoryEntry(DateOnly Date, string Summary);

public sealed record ProductLineDefinition(string Code, string Display, string? VariationClause);

public sealed record ServiceFamilyDefinition
{
    public required string Code { get; init; }
    public required string Display { get; init; }
    public required string CriteriaClause { get; init; }
    public required MinimumAgeRule MinimumAge { get; init; }
    public required CanonicalReference Questionnaire { get; init; }
    public ConcurrencyRule? Concurrency { get; init; }

    /// <summary>
    /// P13: why this version's criteria for the family are not on file (they came from a document
    /// the published history only names). The family's requests then pend for a clinician.
    /// </summary>
    public string? CriteriaNotOnFile { get; init; }
}

public sealed record MinimumAgeRule(int Years, string Clause, YoungerMemberOutcome WhenYounger);

[JsonConverter(typeof(JsonStringEnumConverter<YoungerMemberOutcome>))]
public enum YoungerMemberOutcome
{
    /// <summary>The policy does not address younger members: a clinician reviews the request.</summary>
    [JsonStringEnumMemberName("review")] Review,

    /// <summary>The policy excludes younger members: not medically necessary.</summary>
    [JsonStringEnumMemberName("deny")] Deny,
}

public sealed record CanonicalReference(string Url, string Version)
{
    public string Versioned => $"{Url}|{Version}";
}

/// <summary>P8: procedures that make a BVNA experimental when performed with it.</summary>
/// <summary>
/// P8: which other services on the same date of service make the family experimental. The
/// policy's list is open ("including"): besides the named families and codes, every code in
/// <see cref="ProcedureRanges"/> is a procedure; <see cref="NotConcurrentCodes"/> and
/// <see cref="NotConcurrentRanges"/> (evaluation and management, imaging guidance) are not; a code
/// in none of them cannot be classified, and the request pends for a clinician.
/// </summary>
public sealed record ConcurrencyRule(string Clause, IReadOnlyList<string> ExcludedWithFamilies, IReadOnlyList<CodedConcept> ExcludedWithCodes)
{
    public IReadOnlyList<CodeRange> ProcedureRanges { get; init; } = [];

    public IReadOnlyList<CodedConcept> NotConcurrentCodes { get; init; } = [];

    public IReadOnlyList<CodeRange> NotConcurrentRanges { get; init; } = [];
}

/// <summary>A range of five-digit CPT codes, both ends included (e.g. 99202–99499).</summary>
public sealed record CodeRange(string From, string To, string Display)
{
    public bool Contains(string code) =>
        code.Length == From.Length && code.All(char.IsAsciiDigit)
        && string.CompareOrdinal(code, From) >= 0 && string.CompareOrdinal(code, To) <= 0;
}

public sealed record CodedConcept(string Code, string Display);

public sealed record CodeGroupDefinition(string Code, string Display, string Family, IReadOnlyList<string> CptCodes);

/// <summary>P2: an add-on code is billed only with one of its primary codes.</summary>
public sealed record AddOnCodeDefinition(string Code, IReadOnlyList<string> PrimaryCodes);

public sealed record UnitLimitDefinition(string Code, int MaxUnits, string Clause, string Reason);

/// <summary>
/// P2: when <paramref name="AddOnCode"/> is billed, its primary covered <paramref name="PrimaryLevels"/>
/// levels and each add-on unit one more, so the levels answer of <paramref name="Criterion"/> must
/// name at least that many. (The primary alone may treat fewer: 64628 is also one body.)
/// </summary>
public sealed record LevelCountDefinition(string Criterion, string AddOnCode, int PrimaryLevels, string Clause, string Reason);

[JsonConverter(typeof(JsonStringEnumConverter<PriorAuthRequirement>))]
public enum PriorAuthRequirement
{
    [JsonStringEnumMemberName("required")] Required,
    [JsonStringEnumMemberName("not-required")] NotRequired,
    [JsonStringEnumMemberName("not-payable")] NotPayable,

    /// <summary>P13: this version's table is not on file for the cell: a clinician decides.</summary>
    [JsonStringEnumMemberName("not-on-file")] NotOnFile,
}
