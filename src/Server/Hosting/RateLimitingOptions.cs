using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Per-caller request budget ("RateLimiting" section): a fixed window per authenticated client,
/// or per remote address for callers without a token.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one caller may make per window.</summary>
    [Range(1, 10_000_000)]
    public int PermitLimit { get; set; } = 1200;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;

    /// <summary>Requests that may wait for the next window instead of being refused at once.</summary>
    [Range(0, 10_000)]
    public int QueueLimit { get; set; }
}
