namespace SpinePolicy.Storage;

/// <summary>One page of search results and the continuation for the next, if any.</summary>
public sealed record SearchPage(IReadOnlyList<StoredResource> Resources, string? Next, int? Total);
