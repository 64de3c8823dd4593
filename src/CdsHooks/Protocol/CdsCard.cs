namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>A CDS Hooks card. Summary stays under 140 characters (CDS Hooks 2.0).</summary>
public sealed record CdsCard
{
    public required string Uuid { get; init; }

    public required string Summary { get; init; }

    public string? Detail { get; init; }

    /// <summary>info | warning | critical.</summary>
    public required string Indicator { get; init; }

    public required CdsSource Source { get; init; }

    public IReadOnlyList<CdsLink>? Links { get; init; }
}
