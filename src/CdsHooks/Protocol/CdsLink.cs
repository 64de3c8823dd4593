namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>A card link; type is "absolute" (a web page) or "smart" (a SMART app launch).</summary>
internal sealed record CdsLink(string Label, string Url, string Type);
