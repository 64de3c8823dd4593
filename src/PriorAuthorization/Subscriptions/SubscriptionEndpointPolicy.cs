using System.Net;
using System.Net.Sockets;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// Where this server may send notifications (server-side request forgery): an https endpoint
/// (plain http only with Pas:AllowHttpSubscriptionEndpoints) whose host resolves only to public
/// addresses: never loopback, private, link-local, carrier-grade NAT, multicast, reserved or
/// cloud-metadata addresses, unless the operator allow-lists the host
/// (Pas:SubscriptionEndpointAllowList). Checked when a Subscription is created and again on every
/// connection the sender opens (<see cref="ConnectAsync"/>), with this instance's settings: an
/// endpoint stored under looser settings, or a name that later resolves elsewhere, is never
/// reached.
/// </summary>
internal sealed class SubscriptionEndpointPolicy(PasOptions options)
{
    private static readonly IPNetwork[] NonPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"), IPNetwork.Parse("10.0.0.0/8"), IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"), IPNetwork.Parse("192.0.2.0/24"), IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"), IPNetwork.Parse("198.51.100.0/24"), IPNetwork.Parse("203.0.113.0/24"),
        IPNetwork.Parse("224.0.0.0/4"), IPNetwork.Parse("240.0.0.0/4"),
        IPNetwork.Parse("::/127"), IPNetwork.Parse("fe80::/10"), IPNetwork.Parse("fc00::/7"), IPNetwork.Parse("ff00::/8"),
        IPNetwork.Parse("64:ff9b::/96"), IPNetwork.Parse("64:ff9b:1::/48"), IPNetwork.Parse("2001:db8::/32"), IPNetwork.Parse("2002::/16"),
    ];

    /// <summary>Why the endpoint's URL is refused (scheme, form), or null.</summary>
    public string? SchemeProblem(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || !(endpoint.Scheme == Uri.UriSchemeHttps || (options.AllowHttpSubscriptionEndpoints && endpoint.Scheme == Uri.UriSchemeHttp)))
        {
            return "Subscription.channel.endpoint must be an absolute https URL.";
        }

        return string.IsNullOrEmpty(endpoint.UserInfo) ? null : "Subscription.channel.endpoint must not carry credentials in the URL; use channel.header.";
    }

    /// <summary>Why the endpoint is refused (scheme, or a host resolving to a non-public address), or null.</summary>
    public async Task<string?> ProblemAsync(Uri endpoint, CancellationToken cancellationToken)
    {
        if (SchemeProblem(endpoint) is { } problem)
        {
            return problem;
        }

        if (IsAllowListed(endpoint.IdnHost))
        {
            return null;
        }

        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(endpoint.IdnHost, cancellationToken);
        }
        catch (Exception ex) when (ex is SocketException or ArgumentException)
        {
            return $"Subscription.channel.endpoint host '{endpoint.Host}' does not resolve to an address this server may connect to.";
        }

        return addresses.Length == 0 || !addresses.All(IsPublic)
            ? $"Subscription.channel.endpoint host '{endpoint.Host}' resolves to a loopback, private, link-local or otherwise non-public address; an operator can allow-list it (Pas:SubscriptionEndpointAllowList)."
            : null;
    }

    public bool IsAllowListed(string host) =>
        options.SubscriptionEndpointAllowList.Any(allowed => string.Equals(allowed.Trim(), host, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The notification client's connect step: resolves the host itself and connects only to a
    /// public address (or to an allow-listed host), so DNS cannot be re-pointed between the check
    /// and the connection.
    /// </summary>
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var host = context.DnsEndPoint.Host;
        IPAddress[] addresses;
        try
        {
            addresses = await ResolveAsync(host, cancellationToken);
        }
        catch (ArgumentException)
        {
            addresses = [];
        }

        var allowed = IsAllowListed(host) ? addresses : addresses.Where(IsPublic).ToArray();
        if (allowed.Length == 0)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, "The notification endpoint resolves to no address this server may connect to.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, context.DnsEndPoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>An address literal as itself (the resolver refuses some, such as 0.0.0.0); a name through DNS.</summary>
    private static async Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        IPAddress.TryParse(host.Trim('[', ']'), out var literal) ? [literal] : await Dns.GetHostAddressesAsync(host, cancellationToken);

    /// <summary>False for every loopback, private, link-local, shared, reserved, documentation and multicast range (IPv4 and IPv6).</summary>
    public static bool IsPublic(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        return !IPAddress.IsLoopback(address) && !NonPublic.Any(network => network.Contains(address));
    }
}
