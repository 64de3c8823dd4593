namespace SpinePolicy.PolicyEngine.Facts;

/// <summary>
/// When the member's Coverage is in force: its status and its period (Coverage.status,
/// Coverage.period), as the request states them. A period with no start or no end is open on that
/// side, and a Coverage with no period is open-ended; a partial date is read in the member's favour
/// (the earliest day a start may mean, the latest day an end may mean). CRD, DTR and PAS all read it
/// from the same Coverage fields, and both engines hold the order's date of service against it.
/// </summary>
public sealed record CoverageTerm(string? Status, DateOnly? From, DateOnly? To)
{
    /// <summary>Nothing said: active and open-ended.</summary>
    public static CoverageTerm Open { get; } = new(null, null, null);

    public bool IsActive => Status is null or "active";

    /// <summary>
    /// Why the Coverage does not support a decision for a service on <paramref name="dateOfService"/>:
    /// it is not active, or some day of the date of service lies outside its period. Null when it is
    /// in force (or no date of service is known).
    /// </summary>
    public PolicyFinding? NotInForceOn(DateRange? dateOfService)
    {
        if (!IsActive)
        {
            return new PolicyFinding(
                FindingKind.CoverageNotInForce,
                "P3",
                $"The member's Coverage is {Status}, not active: this plan's coverage cannot be decided on it; the member's eligibility is checked before a decision.");
        }

        if (dateOfService is null
            || ((From is not { } from || dateOfService.Start >= from) && (To is not { } to || dateOfService.End <= to)))
        {
            return null;
        }

        return new PolicyFinding(
            FindingKind.CoverageNotInForce,
            "P3",
            $"The member's Coverage is not in force on the date of service {dateOfService} (its period: {Describe()}): this plan's coverage cannot be decided for that date; the member's eligibility on that date is checked before a decision.");
    }

    private string Describe() => (From, To) switch
    {
        ({ } from, { } to) => $"{from:yyyy-MM-dd} to {to:yyyy-MM-dd}",
        ({ } from, null) => $"from {from:yyyy-MM-dd}",
        (null, { } to) => $"until {to:yyyy-MM-dd}",
        _ => "open",
    };
}
