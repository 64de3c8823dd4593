using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.FhirRest.Security;

/// <summary>
/// The signing keys of each trusted issuer. A token's keys are looked up by ITS issuer only, so
/// one authorization server's key can never vouch for another's tokens. Remote JWKS are fetched
/// through IdentityModel's ConfigurationManager (cached, refreshed periodically and on demand).
/// </summary>
public sealed class FhirIssuerKeys
{
    private readonly Dictionary<string, IReadOnlyList<SecurityKey>> _inline = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConfigurationManager<JsonWebKeySet>> _remote = new(StringComparer.Ordinal);

    public FhirIssuerKeys(IOptions<FhirAuthenticationOptions> options, IHttpClientFactory httpClients)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return;
        }

        foreach (var issuer in settings.Issuers)
        {
            if (!string.IsNullOrWhiteSpace(issuer.Jwks))
            {
                _inline[issuer.Issuer] = [.. new JsonWebKeySet(issuer.Jwks).GetSigningKeys()];
            }
            else if (!string.IsNullOrWhiteSpace(issuer.JwksUrl))
            {
                var documents = new HttpDocumentRetriever(httpClients.CreateClient(nameof(FhirIssuerKeys)))
                {
                    RequireHttps = settings.RequireHttpsJwks,
                };
                _remote[issuer.Issuer] = new ConfigurationManager<JsonWebKeySet>(issuer.JwksUrl, new JwksRetriever(), documents);
            }
        }
    }

    public IEnumerable<string> Issuers => _inline.Keys.Concat(_remote.Keys);

    /// <summary>Fetches (or reuses the cached) remote JWKS of this issuer, so that <see cref="KeysFor"/> need not block.</summary>
    public async Task WarmAsync(string issuer, CancellationToken cancellationToken)
    {
        if (_remote.TryGetValue(issuer, out var manager))
        {
            await manager.GetConfigurationAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Asks for a fresh JWKS on the next use (a token named a key id we have not seen: the issuer may have rotated).</summary>
    public void RequestRefresh(string issuer)
    {
        if (_remote.TryGetValue(issuer, out var manager))
        {
            manager.RequestRefresh();
        }
    }

    public IEnumerable<SecurityKey> KeysFor(string? issuer)
    {
        if (issuer is null)
        {
            return [];
        }

        if (_inline.TryGetValue(issuer, out var keys))
        {
            return keys;
        }

        if (_remote.TryGetValue(issuer, out var manager))
        {
            // Completed already when WarmAsync ran for this request; otherwise a one-off fetch.
            var jwks = manager.GetConfigurationAsync(CancellationToken.None).GetAwaiter().GetResult();
            return jwks.GetSigningKeys();
        }

        return [];
    }
}
