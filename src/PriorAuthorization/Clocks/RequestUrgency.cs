namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>Which decision clock a prior-authorization request runs on.</summary>
public enum RequestUrgency
{
    /// <summary>A standard request (7 calendar days by default).</summary>
    Standard,

    /// <summary>An expedited request (72 hours by default).</summary>
    Urgent,
}
