namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>The CDS Hooks Coding object (not a FHIR Coding: it lives in the hooks envelope).</summary>
internal sealed record CdsCoding(string System, string Code, string? Display);
