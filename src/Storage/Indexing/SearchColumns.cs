namespace SpinePolicy.Storage.Indexing;

/// <summary>The values of one resource that the stores index for search.</summary>
public sealed record SearchColumns(
    string? PatientId,
    string? Status,
    DateTimeOffset? Created,
    IReadOnlyList<SearchIdentifier> Identifiers,
    string? Outcome = null);
