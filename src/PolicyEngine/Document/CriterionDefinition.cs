using System.Text.Json.Serialization;

namespace SpinePolicy.PolicyEngine.Document;

/// <summary>
/// One criterion of the policy: the unit a questionnaire item asks (keyed by <see cref="Code"/>) and
/// the engine evaluates. Questionnaires and evaluation both key off this code, never linkIds.
/// </summary>
public sealed record CriterionDefinition
{
    public required string Code { get; init; }
    public required string Family { get; init; }
    public required string Clause { get; init; }
    public required CriterionType Type { get; init; }
    public required CriterionRole Role { get; init; }
    public required string Display { get; init; }
    public bool Required { get; init; } = true;
    public CriterionRule? Rule { get; init; }
    public CriterionCondition? AskedWhen { get; init; }
    public IReadOnlyList<string>? Options { get; init; }

    /// <summary>
    /// The answer is the number of days since the member's previous service of the family (rule
    /// "atLeast" the interval the policy asks, e.g. P5's 14 days between facet injections). The
    /// payer's own records of the member's pending and certified services are held against it too,
    /// whatever the form says (<see cref="Necessity.NecessityEngine"/>).
    /// </summary>
    public bool IntervalFromHistory { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<CriterionType>))]
public enum CriterionType
{
    [JsonStringEnumMemberName("boolean")] Boolean,
    [JsonStringEnumMemberName("integer")] Integer,
    [JsonStringEnumMemberName("decimal")] Decimal,
    [JsonStringEnumMemberName("choice")] Choice,
    [JsonStringEnumMemberName("levels")] Levels,
}

[JsonConverter(typeof(JsonStringEnumConverter<CriterionRole>))]
public enum CriterionRole
{
    /// <summary>Met ⇒ the service is experimental and investigational (P7).</summary>
    [JsonStringEnumMemberName("exclusion")] Exclusion,

    /// <summary>Not met ⇒ clinical review, never an automatic denial (P6).</summary>
    [JsonStringEnumMemberName("indication")] Indication,

    /// <summary>Not met ⇒ not medically necessary (a threshold the policy states, e.g. P5).</summary>
    [JsonStringEnumMemberName("requirement")] Requirement,

    /// <summary>No rule of its own: decides which other criteria are asked.</summary>
    [JsonStringEnumMemberName("context")] Context,
}

/// <summary>
/// The rule of a criterion. For exclusions it says when the exclusion is present; for indications
/// and requirements it says when they are met.
/// </summary>
public sealed record CriterionRule
{
    public required RuleOperator Operator { get; init; }
    public bool? Value { get; init; }
    public decimal? Threshold { get; init; }
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>For <see cref="RuleOperator.Intersects"/>: the other criterion's code.</summary>
    public string? Criterion { get; init; }
}

[JsonConverter(typeof(JsonStringEnumConverter<RuleOperator>))]
public enum RuleOperator
{
    [JsonStringEnumMemberName("equals")] EqualsValue,
    [JsonStringEnumMemberName("greaterThan")] GreaterThan,
    [JsonStringEnumMemberName("atLeast")] AtLeast,
    [JsonStringEnumMemberName("anyOutside")] AnyOutside,
    [JsonStringEnumMemberName("intersects")] Intersects,
}

/// <summary>A criterion is asked only when another boolean criterion has the given answer.</summary>
public sealed record CriterionCondition(string Criterion, [property: JsonPropertyName("equals")] bool EqualsValue);
