namespace SpinePolicy.Fhir.Security;

/// <summary>Names shared by the FHIR API's authentication and every slice's /fhir endpoints.</summary>
public static class FhirAuthorizationDefaults
{
    /// <summary>The JwtBearer scheme that validates FHIR API access tokens (separate from CDS Hooks client trust).</summary>
    public const string Scheme = "FhirBearer";

    /// <summary>Route value naming the resource type on generic routes such as <c>/fhir/{type}/{id}</c>.</summary>
    public const string ResourceTypeRouteValue = "type";
}
