using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Per-caller request budget ("RateLimiting" section): a fixed window per authenticated client,
/// or per remote address for callers without a token, shared by every instance on one database
/// (<see cref="SharedRequestBudget"/>). A request over the budget is refused at once (429), not queued.
/// </summary>
internal sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    /// <summary>Requests one caller may make per window.</summary>
    [Range(1, 10_000_000)]
    public int PermitLimit { get; set; } = 1200;

    [Range(1, 3600)]
    public int WindowSeconds { get; set; } = 60;
}
