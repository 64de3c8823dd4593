using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.CdsHooks.Options;

namespace SpinePolicy.CdsHooks.Security;

/// <summary>
/// The signing keys of every trusted EHR, cached: inline JWKS are read once; JWKS URLs go through
/// IdentityModel's ConfigurationManager (cached, refreshed on an interval and when a token names an
/// unknown key). Presented to JwtBearer as its configuration source. Remembers which issuer each key
/// belongs to, so that one EHR's key can never vouch for another EHR's tokens.
/// </summary>
public sealed partial class TrustedClientKeys : IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly List<(string Issuer, IConfigurationManager<JsonWebKeySet> Keys)> _clients = [];
    private readonly ILogger<TrustedClientKeys> _logger;
    private readonly Lock _gate = new();

    // Keyed by the key object itself: a token validated against a key from an older JWKS still
    // finds its issuer, and no request ever sees another request's half-built map.
    private readonly ConditionalWeakTable<SecurityKey, string> _issuerByKey = [];
    private JsonWebKeySet[] _lastSets = [];
    private Dictionary<string, List<SecurityKey>> _keysByIssuer = new(StringComparer.Ordinal);
    private OpenIdConnectConfiguration _merged = new();

    public TrustedClientKeys(CdsHooksAuthenticationOptions options, HttpClient http, ILogger<TrustedClientKeys> logger)
    {
        _logger = logger;
        foreach (var client in options.TrustedClients)
        {
            if (!string.IsNullOrWhiteSpace(client.Jwks))
            {
                _clients.Add((client.Issuer, new StaticConfigurationManager<JsonWebKeySet>(new JsonWebKeySet(client.Jwks))));
                continue;
            }

            var manager = new ConfigurationManager<JsonWebKeySet>(client.JwksUrl!, new JwksRetriever(), new HttpDocumentRetriever(http) { RequireHttps = false })
            {
                AutomaticRefreshInterval = options.JwksRefreshInterval,
                RefreshInterval = TimeSpan.FromSeconds(30),
            };
            _clients.Add((client.Issuer, manager));
        }
    }

    public IReadOnlyList<string> Issuers => _clients.Select(c => c.Issuer).ToList();

    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var sets = new JsonWebKeySet[_clients.Count];
        for (var i = 0; i < _clients.Count; i++)
        {
            try
            {
                sets[i] = await _clients[i].Keys.GetConfigurationAsync(cancel);
            }
            catch (InvalidOperationException ex)
            {
                // One EHR's JWKS being down must not lock out the others.
                LogJwksUnavailable(_logger, _clients[i].Issuer, ex.GetType().Name);
                sets[i] = new JsonWebKeySet();
            }
        }

        lock (_gate)
        {
            if (sets.SequenceEqual(_lastSets, ReferenceEqualityComparer.Instance))
            {
                return _merged;
            }

            var configuration = new OpenIdConnectConfiguration { Issuer = _clients.Count > 0 ? _clients[0].Issuer : null };
            var keysByIssuer = new Dictionary<string, List<SecurityKey>>(StringComparer.Ordinal);
            for (var i = 0; i < sets.Length; i++)
            {
                foreach (var key in sets[i].GetSigningKeys())
                {
                    // Only asymmetric keys: a shared secret (HMAC) is never a way in (CDS Hooks 2.0).
                    if (key is SymmetricSecurityKey || key is JsonWebKey { Kty: "oct" })
                    {
                        continue;
                    }

                    configuration.SigningKeys.Add(key);
                    _issuerByKey.AddOrUpdate(key, _clients[i].Issuer);
                    if (!keysByIssuer.TryGetValue(_clients[i].Issuer, out var list))
                    {
                        keysByIssuer[_clients[i].Issuer] = list = [];
                    }

                    list.Add(key);
                }
            }

            _lastSets = sets;
            _keysByIssuer = keysByIssuer;
            _merged = configuration;
            return configuration;
        }
    }

    /// <summary>
    /// The keys a token from <paramref name="issuer"/> may be signed with (those with its kid when it
    /// names one). Only the issuer's own keys are ever tried, so two EHRs reusing a kid cannot collide.
    /// </summary>
    public IEnumerable<SecurityKey> KeysFor(string? issuer, string? kid)
    {
        Dictionary<string, List<SecurityKey>> keysByIssuer;
        lock (_gate)
        {
            keysByIssuer = _keysByIssuer;
        }

        if (issuer is null || !keysByIssuer.TryGetValue(issuer, out var keys))
        {
            return [];
        }

        return string.IsNullOrEmpty(kid) ? keys : keys.Where(k => k.KeyId == kid).ToList();
    }

    /// <summary>True when <paramref name="key"/> was published by <paramref name="issuer"/>.</summary>
    public bool BelongsTo(SecurityKey key, string? issuer) =>
        issuer is not null && _issuerByKey.TryGetValue(key, out var owner) && string.Equals(owner, issuer, StringComparison.Ordinal);

    public void RequestRefresh()
    {
        foreach (var (_, manager) in _clients)
        {
            manager.RequestRefresh();
        }
    }

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The JWKS of trusted CDS Hooks client {Issuer} could not be retrieved ({Error}); its tokens are refused until it can")]
    private static partial void LogJwksUnavailable(ILogger logger, string issuer, string error);
}
