using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// The server's own public addresses, from the one setting <c>PublicBaseUrl</c> (e.g.
/// <c>https://payer.example.org</c>): the FHIR base is that plus <c>/fhir</c>, the CDS Hooks base
/// that plus <c>/cds-services</c>. Token audiences, <c>Location</c> headers, <c>fullUrl</c>s and the
/// CapabilityStatement are built from it, never from the request's <c>Host</c> header, which any
/// caller can set.
/// </summary>
public sealed class PublicEndpoints
{
    public const string SettingName = "PublicBaseUrl";

    /// <summary>Where <c>dotnet run</c> listens (launchSettings.json): the Development default.</summary>
    public const string DevelopmentDefault = "http://localhost:5080";

    public PublicEndpoints(Uri baseUrl)
    {
        BaseUrl = baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
    }

    /// <summary>Scheme, host, port and path base, without a trailing slash.</summary>
    public string BaseUrl { get; }

    public string FhirBase => BaseUrl + "/fhir";

    public string CdsHooksBase => BaseUrl + "/cds-services";

    /// <summary>The URL of one CDS service: what an EHR's JWT names as its audience.</summary>
    public string CdsServiceUrl(string serviceId) => $"{CdsHooksBase}/{serviceId}";

    /// <summary>The public URL of this request (path and query as received, on the configured base): for self links and audiences.</summary>
    public string UrlOf(HttpRequest request) => $"{BaseUrl}{request.Path.ToUriComponent()}{request.QueryString.ToUriComponent()}";

    /// <summary>The registered instance, for code that holds only the request.</summary>
    public static PublicEndpoints Of(HttpContext context) => context.RequestServices.GetRequiredService<PublicEndpoints>();

    /// <summary>
    /// Reads <c>PublicBaseUrl</c>. Outside Development a missing or malformed value stops start-up
    /// (a server that does not know its own address cannot check a token's audience); Production
    /// also requires https. Development without the setting uses <see cref="DevelopmentDefault"/>.
    /// </summary>
    public static PublicEndpoints FromConfiguration(IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration[SettingName];
        if (string.IsNullOrWhiteSpace(configured))
        {
            return environment.IsDevelopment()
                ? new PublicEndpoints(new Uri(DevelopmentDefault))
                : throw new InvalidOperationException(
                    $"{SettingName} is required in the {environment.EnvironmentName} environment: set it to the URL clients use to reach this server, e.g. {SettingName}=https://payer.example.org (token audiences and links are built from it).");
        }

        if (!Uri.TryCreate(configured.Trim(), UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment) || !string.IsNullOrEmpty(uri.UserInfo))
        {
            throw new InvalidOperationException(
                $"{SettingName} must be an absolute http(s) URL without query, fragment or credentials, e.g. https://payer.example.org.");
        }

        if (environment.IsProduction() && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException(
                $"{SettingName} must be an https URL in Production (terminate TLS at the server or at a proxy in front of it).");
        }

        return new PublicEndpoints(uri);
    }
}
