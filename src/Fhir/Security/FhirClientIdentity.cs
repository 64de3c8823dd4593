using System.Security.Claims;

namespace SpinePolicy.Fhir.Security;

/// <summary>Who is calling the FHIR API, as the access token names the client.</summary>
public static class FhirClientIdentity
{
    /// <summary>"client_id" (RFC 9068), else "azp", else "sub"; null for an anonymous caller.</summary>
    public static string? ClientId(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true)
        {
            return null;
        }

        return principal.FindFirst("client_id")?.Value
            ?? principal.FindFirst("azp")?.Value
            ?? principal.FindFirst("sub")?.Value;
    }
}
