using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// Behind a TLS-terminating proxy: X-Forwarded-For and X-Forwarded-Proto are honoured only from the
/// proxies an operator names ("ForwardedHeaders:KnownProxies" addresses, "ForwardedHeaders:KnownNetworks"
/// CIDR ranges). They give the caller's address (rate limits of unauthenticated callers, audit
/// records) and the original scheme (HSTS). Without the setting the headers are ignored, so a
/// caller reaching the server directly cannot pose as another address. Links and token audiences
/// never depend on them: they come from PublicBaseUrl.
/// </summary>
internal static class TrustedProxies
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>True when at least one proxy is configured (and the middleware should run).</summary>
    public static bool AddTrustedProxies(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(SectionName);
        var proxies = section.GetSection("KnownProxies").Get<string[]>() ?? [];
        var networks = section.GetSection("KnownNetworks").Get<string[]>() ?? [];
        if (proxies.Length == 0 && networks.Length == 0)
        {
            return false;
        }

        var addresses = proxies.Select(p => IPAddress.TryParse(p, out var address)
            ? address
            : throw new InvalidOperationException($"{SectionName}:KnownProxies holds '{p}', which is not an IP address.")).ToList();
        var ranges = networks.Select(n => System.Net.IPNetwork.TryParse(n, out var range)
            ? range
            : throw new InvalidOperationException($"{SectionName}:KnownNetworks holds '{n}', which is not a CIDR range such as 10.0.0.0/8.")).ToList();

        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownProxies.Clear();
            options.KnownIPNetworks.Clear();
            addresses.ForEach(options.KnownProxies.Add);
            ranges.ForEach(options.KnownIPNetworks.Add);
        });
        return true;
    }
}
