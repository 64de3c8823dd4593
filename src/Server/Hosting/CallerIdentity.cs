using System.Security.Claims;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Who is calling, as far as the host can tell: the authenticated client (issuer and client id from
/// the validated token) or, without one, the remote address. Used to partition rate limits and to
/// name the agent in audit records. Only validated claims count: an unverified token could name
/// anyone.
/// </summary>
public sealed record CallerIdentity(string? Issuer, string? ClientId, string? RemoteAddress)
{
    public bool IsAuthenticated => ClientId is not null;

    /// <summary>The rate-limit partition: one per client, else one per address.</summary>
    public string PartitionKey => ClientId is not null ? $"client:{Issuer}|{ClientId}" : $"ip:{RemoteAddress ?? "unknown"}";

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
