namespace SpinePolicy.Storage.Indexing;

/// <summary>One identifier of a resource, indexed for token search (system optional).</summary>
public sealed record SearchIdentifier(string? System, string Value);
