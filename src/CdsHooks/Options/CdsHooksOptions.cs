using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.CdsHooks.Options;

/// <summary>Operational limits of the CDS Hooks service. Bound from configuration section "CdsHooks".</summary>
internal sealed class CdsHooksOptions
{
    public const string SectionName = "CdsHooks";

    /// <summary>
    /// How long the service waits, in total, for the EHR's FHIR server when prefetch left gaps. CRD
    /// answers inside the clinician's ordering workflow, so a slow EHR yields a conditional answer
    /// rather than a slow one.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan FetchDeadline { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Requests larger than this are refused with 413 before they are parsed.</summary>
    [Range(1024, 64 * 1024 * 1024)]
    public int MaxRequestBytes { get; set; } = 2 * 1024 * 1024;

    /// <summary>Label shown as the source of every card.</summary>
    [Required]
    public string SourceLabel { get; set; } = "Mass General Brigham Health Plan";
}
