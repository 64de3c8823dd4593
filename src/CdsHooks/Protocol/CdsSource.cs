namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>Who a card comes from; CRD puts the card type in <see cref="Topic"/>.</summary>
internal sealed record CdsSource(string Label, string? Url, CdsCoding Topic);
