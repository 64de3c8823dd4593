using System.Diagnostics;

namespace SpinePolicy.Fhir.Telemetry;

/// <summary>
/// The server's own traces and metrics, under one name an operator enables ("SpinePolicy"). The
/// spans and instruments carry decisions, policy versions, product lines and procedure codes only:
/// never patient data (no member ids, names, birth dates or resource ids).
/// </summary>
public static class SpinePolicyTelemetry
{
    /// <summary>The name of our ActivitySource and Meter.</summary>
    public const string Name = "SpinePolicy";

    /// <summary>
    /// One source for the process: spans are global by nature (an ActivityListener hears every
    /// source of a name), so there is nothing to gain from one per service provider.
    /// </summary>
    public static readonly ActivitySource Source = new(Name);
}
