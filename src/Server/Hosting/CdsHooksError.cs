namespace SpinePolicy.Server.Hosting;

/// <summary>The JSON error body for CDS Hooks requests the host rejects before a service sees them.</summary>
public sealed record CdsHooksError(string Error, string Message);
