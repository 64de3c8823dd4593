using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace SpinePolicy.DtrApp;

/// <summary>
/// Which /dtr/launch requests may run the launch script. The script checks the issuer against
/// DtrApp:AllowedIssuers itself, but fhirclient reads "iss", "fhirServiceUrl" and "clientId" from
/// the page's address and lets them win over what the script passes: after the script refused an
/// untrusted iss and the user typed a trusted EHR into the form, the authorization would still
/// start at the issuer in the address. The server therefore refuses such an address before any
/// script runs; the Content-Security-Policy's connect-src (issuer origins only) is a second line
/// that cannot tell two EHR bases on one host apart.
/// </summary>
internal static class DtrLaunchCheck
{
    /// <summary>Null when the launch may start; otherwise the issuer to name in the refusal (may be empty).</summary>
    public static string? UntrustedIssuer(IQueryCollection query, DtrAppOptions options)
    {
        foreach (var name in new[] { "iss", "fhirServiceUrl" })
        {
            var values = query[name];
            if (values.Count > 1)
            {
                // Which one would be used depends on the parser: none is.
                return values.ToString();
            }

            if (values.Count == 1 && options.AllowedIssuers.Count > 0 && !IsAllowed(values[0] ?? "", options.AllowedIssuers))
            {
                return values[0] ?? "";
            }
        }

        return null;
    }

    /// <summary>True when a clientId in the address would replace the app's registered one (fhirclient prefers the address's).</summary>
    public static bool ForeignClientId(IQueryCollection query, DtrAppOptions options) =>
        query.TryGetValue("clientId", out StringValues values) && values.Any(v => !string.Equals(v, options.ClientId, StringComparison.Ordinal));

    /// <summary>Compared as the script compares them: exactly, without a trailing slash.</summary>
    private static bool IsAllowed(string issuer, IEnumerable<string> allowed) =>
        allowed.Any(a => string.Equals(a.TrimEnd('/'), issuer.TrimEnd('/'), StringComparison.Ordinal));
}
