namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>Whether a request asks for a first determination or appeals an earlier denial.</summary>
public enum RequestKind
{
    /// <summary>A first (initial) determination.</summary>
    Initial,

    /// <summary>
    /// An appeal of a denial: a PAS request whose certification type (X12 1322) is "1" (Appeal –
    /// Immediate) or "2" (Appeal – Standard) and whose Claim.related names the denied request.
    /// </summary>
    Appeal,
}
