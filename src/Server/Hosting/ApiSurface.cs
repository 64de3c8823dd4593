namespace SpinePolicy.Server.Hosting;

/// <summary>Which API a request addresses; decides the shape of error bodies and which limits apply.</summary>
internal enum ApiSurface
{
    /// <summary>Health, discovery of the host itself and anything unmapped.</summary>
    Other,

    /// <summary>FHIR R4 under /fhir: errors are OperationOutcomes.</summary>
    Fhir,

    /// <summary>CDS Hooks under /cds-services: errors are JSON { error, message }.</summary>
    CdsHooks,
}

internal static class ApiSurfaces
{
    public static ApiSurface Of(PathString path)
    {
        if (path.StartsWithSegments("/fhir", StringComparison.OrdinalIgnoreCase))
        {
            return ApiSurface.Fhir;
        }

        return path.StartsWithSegments("/cds-services", StringComparison.OrdinalIgnoreCase)
            ? ApiSurface.CdsHooks
            : ApiSurface.Other;
    }
}
