namespace SpinePolicy.PolicyEngine;

/// <summary>One ordered procedure as the engine sees it: an id the caller chose, a CPT code, units.</summary>
public sealed record OrderedService(string OrderId, string CptCode, int Units = 1);
