namespace SpinePolicy.Storage;

/// <summary>
/// The search parameters the stores index. The FHIR edge parses and validates query strings into
/// this; stores never see raw parameters.
/// </summary>
public sealed record ResourceSearch(string ResourceType)
{
    public string? Id { get; init; }

    /// <summary>The patient's logical id (the reference "Patient/{id}" without the type).</summary>
    public string? PatientId { get; init; }

    public string? Status { get; init; }

    /// <summary>Token: system may be null (any system); value required.</summary>
    public string? IdentifierSystem { get; init; }

    public string? IdentifierValue { get; init; }

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
