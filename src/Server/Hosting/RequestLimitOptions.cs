using System.ComponentModel.DataAnnotations;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Body size limits per API ("RequestLimits" section). A CDS Hooks call carries a few prefetched
/// resources; a PAS submit may carry attachments, so it gets more room.
/// </summary>
internal sealed class RequestLimitOptions
{
    public const string SectionName = "RequestLimits";

    [Range(1024, 1L << 30)]
    public long CdsHooksMaxBodyBytes { get; set; } = 1L << 20;

    [Range(1024, 1L << 30)]
    public long FhirMaxBodyBytes { get; set; } = 2L << 20;

    /// <summary>Claim/$submit (and other PAS operations on Claim).</summary>
    [Range(1024, 1L << 30)]
    public long SubmitMaxBodyBytes { get; set; } = 8L << 20;

    [Range(1024, 1L << 30)]
    public long OtherMaxBodyBytes { get; set; } = 64L << 10;

    public long Largest => Math.Max(Math.Max(CdsHooksMaxBodyBytes, FhirMaxBodyBytes), Math.Max(SubmitMaxBodyBytes, OtherMaxBodyBytes));

    public long LimitFor(HttpRequest request) => ApiSurfaces.Of(request.Path) switch
    {
        ApiSurface.CdsHooks => CdsHooksMaxBodyBytes,
        ApiSurface.Fhir when request.Path.StartsWithSegments("/fhir/Claim", StringComparison.Ordinal) => SubmitMaxBodyBytes,
        ApiSurface.Fhir => FhirMaxBodyBytes,
        _ => OtherMaxBodyBytes,
    };
}
