namespace SpinePolicy.Storage;

/// <summary>
/// The search parameters the stores index. The FHIR edge parses and validates query strings into
/// this; stores never see raw parameters.
/// </summary>
public sealed record ResourceSearch(string ResourceType)
{
    /// <summary>Logical ids; any of them matches (empty: no filter).</summary>
    public IReadOnlyList<string> Ids { get; init; } = [];

    /// <summary>The patients' logical ids (a reference "Patient/{id}" without the type); any of them matches.</summary>
    public IReadOnlyList<string> PatientIds { get; init; } = [];

    /// <summary>Status codes; any of them matches.</summary>
    public IReadOnlyList<string> Statuses { get; init; } = [];

    /// <summary>
    /// Identifier filters: every group must match (AND), by any of its tokens (OR). A token's null
    /// system means any system, an empty one no system; a null value means any value of the system.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<IdentifierToken>> Identifiers { get; init; } = [];

    /// <summary>ClaimResponse/ExplanationOfBenefit.outcome code (e.g. "partial" while items are pended).</summary>
    public string? Outcome { get; init; }

    /// <summary>
    /// Only resources filed under this provider organization (<see cref="Fhir.Security.OwnerTag"/>):
    /// set by the authorization layer, never from a query string.
    /// </summary>
    public string? OwnerKey { get; init; }

    public DateTimeOffset? CreatedFrom { get; init; }

    public DateTimeOffset? CreatedTo { get; init; }

    public DateTimeOffset? LastUpdatedFrom { get; init; }

    public DateTimeOffset? LastUpdatedTo { get; init; }

    public int Count { get; init; } = 20;

    /// <summary>Sort by _lastUpdated descending (the default) or ascending.</summary>
    public bool NewestFirst { get; init; } = true;

    /// <summary>Opaque continuation from a previous page.</summary>
    public string? After { get; init; }

    /// <summary>Also count every match (FHIR _total=accurate); costs a second query.</summary>
    public bool IncludeTotal { get; init; }

    /// <summary>The most resources one page may hold, whatever _count asks for.</summary>
    public const int MaxCount = 1000;
}
