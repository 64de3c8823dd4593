namespace SpinePolicy.Fhir.Http;

/// <summary>Endpoint metadata marking a FHIR search (GET [type] or POST [type]/_search); see <see cref="FhirSearchRoutes"/>.</summary>
public sealed class FhirSearchEndpoint
{
    public static FhirSearchEndpoint Instance { get; } = new();

    private FhirSearchEndpoint()
    {
    }
}
