namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>A CDS Hooks 2.0 service response: cards for the clinician, system actions for the EHR.</summary>
internal sealed record CdsServiceResponse(IReadOnlyList<CdsCard> Cards, IReadOnlyList<CdsSystemAction> SystemActions)
{
    public static CdsServiceResponse Empty { get; } = new([], []);
}
