using System.Security.Claims;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Who is calling, as far as the host can tell: the authenticated client (issuer and client id from
/// the validated token) or, without one, the remote address. Used to partition rate limits and to
/// name the agent in audit records. Only validated claims count: an unverified token could name
/// anyone.
/// </summary>
internal sealed record CallerIdentity(string? Issuer, string? ClientId, string? RemoteAddress)
{
    public bool IsAuthenticated => ClientId is not null;

    /// <summary>The rate-limit partition of a FHIR client: one per client, else one per address.</summary>
    public string PartitionKey => ClientId is not null ? $"client:{Issuer}|{ClientId}" : $"ip:{RemoteAddress ?? "unknown"}";

    /// <summary>
    /// The rate-limit partition of a request. An EHR calling CDS Hooks is limited by its issuer
    /// alone: it mints its own JWTs and their "sub", so a budget per sub would be a budget per value
    /// the EHR cares to invent. FHIR clients get one budget per issuer and client id (the client id
    /// is the authorization server's, not the client's own choice).
    /// </summary>
    public static string PartitionKeyOf(HttpContext context)
    {
        var caller = Of(context);
        return caller.IsAuthenticated && caller.Issuer is not null && ApiSurfaces.Of(context.Request.Path) == ApiSurface.CdsHooks
            ? $"issuer:{caller.Issuer}"
            : caller.PartitionKey;
    }

    public static CallerIdentity Of(HttpContext context)
    {
        var remote = context.Connection.RemoteIpAddress?.ToString();
        var user = context.User;
        if (user.Identity?.IsAuthenticated != true)
        {
            return new CallerIdentity(null, null, remote);
        }

        var clientId = First(user, "client_id", "azp", "sub", ClaimTypes.NameIdentifier) ?? user.Identity.Name;
        var issuer = First(user, "iss") ?? user.Claims.FirstOrDefault()?.Issuer;
        return new CallerIdentity(issuer, clientId, remote);
    }

    private static string? First(ClaimsPrincipal user, params string[] types)
    {
        foreach (var type in types)
        {
            if (user.FindFirst(type)?.Value is { Length: > 0 } value)
            {
                return value;
            }
        }

        return null;
    }
}
