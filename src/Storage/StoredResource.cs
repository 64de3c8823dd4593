namespace SpinePolicy.Storage;

/// <summary>One version of a stored FHIR resource, as JSON with its version metadata.</summary>
public sealed record StoredResource(string ResourceType, string Id, int VersionId, DateTimeOffset LastUpdated, string Json, bool Deleted = false);
