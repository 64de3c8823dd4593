namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>A CDS Hooks card. Summary stays under 140 characters (CDS Hooks 2.0).</summary>
internal sealed record CdsCard
{
    public required string Uuid { get; init; }

    public required string Summary { get; init; }

    public string? Detail { get; init; }

    /// <summary>info | warning | critical.</summary>
    public required string Indicator { get; init; }

    public required CdsSource Source { get; init; }

    public IReadOnlyList<CdsLink>? Links { get; init; }

    /// <summary>
    /// The coverage-assertion-ids the card speaks about: kept by the server (never sent) so that
    /// CDS Hooks feedback on the card can be linked to them.
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<string> AssertionIds { get; init; } = [];
}
