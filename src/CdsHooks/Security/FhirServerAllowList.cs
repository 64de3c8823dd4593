using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.CdsHooks.Options;

namespace SpinePolicy.CdsHooks.Security;

/// <summary>
/// Which FHIR servers we may call with the access token an EHR hands us in a hook: only the bases
/// configured for the trusted issuer that signed the hook's JWT (TrustedClients[n]:FhirServers).
/// CDS Hooks 2.0 forbids sending fhirAuthorization's token anywhere but the EHR's own server, and a
/// fhirServer taken from the request as it stands would let any hook point our fetch at an internal
/// address. Read through IOptionsMonitor, so an operator's change to the list applies without a restart.
/// </summary>
internal sealed partial class FhirServerAllowList(IOptionsMonitor<CdsHooksAuthenticationOptions> options, ILogger<FhirServerAllowList> logger)
{
    /// <summary>
    /// Whether a hook signed by <paramref name="issuer"/> may be answered with fetches from
    /// <paramref name="fhirServer"/>. With authentication off (Development) there is no issuer to
    /// bind the list to, and every fhirServer is allowed.
    /// </summary>
    public bool Allows(string? issuer, Uri fhirServer)
    {
        var settings = options.CurrentValue;
        if (!settings.Enabled)
        {
            return true;
        }

        var requested = Normalize(fhirServer);
        var allowed = issuer is not null && requested is not null && settings.TrustedClients
            .Where(client => string.Equals(client.Issuer, issuer, StringComparison.Ordinal))
            .SelectMany(client => client.FhirServers)
            .Select(Parse)
            .Any(configured => configured == requested);
        if (!allowed)
        {
            // The issuer and the host only: the rest of the URL is the caller's and could be anything.
            LogNotAllowed(logger, issuer ?? "(none)", fhirServer.IdnHost);
        }

        return allowed;
    }

    /// <summary>A configured base in its compared form, or null when it is not one we can compare.</summary>
    public static string? Parse(string configured) =>
        Uri.TryCreate(configured, UriKind.Absolute, out var uri) ? Normalize(uri) : null;

    /// <summary>
    /// Scheme, host, port and path (dot segments resolved, without a trailing slash): equal only when
    /// both name the same server base. User info, a query or a fragment never compare equal to anything.
    /// </summary>
    private static string? Normalize(Uri uri)
    {
        if ((uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            return null;
        }

        // Uri lower-cases scheme and host already; the path compares exactly (servers may be case-sensitive).
        return $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}{uri.AbsolutePath.TrimEnd('/')}";
    }

    [LoggerMessage(EventId = 2204, Level = LogLevel.Warning, Message = "A hook signed by {Issuer} named a fhirServer on {Host}, which its allow-list does not hold: nothing is fetched with its token")]
    private static partial void LogNotAllowed(ILogger logger, string issuer, string host);
}
