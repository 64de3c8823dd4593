using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpinePolicy.DtrApp;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirRest.Smart;

namespace SpinePolicy.Server;

/// <summary>
/// Where the FHIR API needs tokens and its SMART configuration names an authorization endpoint,
/// the DTR app signs its user in there too and fetches a token from the token endpoint, so the
/// page's Content-Security-Policy must let it call that origin. The two slices do not know each
/// other; the host joins their settings.
/// </summary>
internal static class DtrAppPayerSignIn
{
    public static IServiceCollection AllowDtrAppPayerSignIn(this IServiceCollection services)
    {
        services.AddOptions<DtrAppOptions>().PostConfigure<IOptions<SmartAuthorizationServerOptions>>((app, server) =>
        {
            if (Uri.TryCreate(server.Value.TokenEndpoint, UriKind.Absolute, out var token) && token.Scheme is "https" or "http")
            {
                app.ConnectOrigins = [.. app.ConnectOrigins, token.GetLeftPart(UriPartial.Authority)];
            }
        });
        services.Replace(ServiceDescriptor.Singleton(sp => new PayerSignIn(
            sp.GetRequiredService<FhirAuthorizationSwitch>().Enabled
            && !string.IsNullOrWhiteSpace(sp.GetRequiredService<IOptions<SmartAuthorizationServerOptions>>().Value.AuthorizationEndpoint))));
        return services;
    }
}
