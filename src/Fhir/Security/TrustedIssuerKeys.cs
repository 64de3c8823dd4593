using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace SpinePolicy.Fhir.Security;

/// <summary>
/// The signing keys of a set of trusted issuers, for both JWT schemes (CDS Hooks clients and the
/// FHIR API's authorization servers). Inline JWKS are read once; JWKS URLs go through IdentityModel's
/// ConfigurationManager (cached, refreshed on an interval and on request when a token names a key
/// we have not seen). A token's keys are looked up by its own issuer only, so one issuer's key can
/// never vouch for another's tokens, and only asymmetric keys count: a shared secret is never a way
/// in. Key lookup during validation (<see cref="KeysFor"/>) reads what the last fetch cached and never
/// blocks; <see cref="GetConfigurationAsync"/> or <see cref="WarmAsync"/> runs before it on every request.
/// </summary>
public sealed partial class TrustedIssuerKeys : IConfigurationManager<OpenIdConnectConfiguration>
{
    private readonly List<(string Issuer, IConfigurationManager<JsonWebKeySet> Source)> _issuers = [];
    private readonly ILogger _logger;
    private readonly Lock _gate = new();

    // Keyed by the key object itself: a token validated against a key from an older JWKS still
    // finds its issuer.
    private readonly ConditionalWeakTable<SecurityKey, string> _issuerByKey = [];
    private readonly Dictionary<string, (JsonWebKeySet Set, IReadOnlyList<SecurityKey> Keys)> _cached = new(StringComparer.Ordinal);
    private OpenIdConnectConfiguration _merged = new();
    private JsonWebKeySet?[] _mergedFrom = [];

    /// <param name="issuers">The trusted issuers.</param>
    /// <param name="http">The client remote JWKS are fetched with.</param>
    /// <param name="requireHttps">Whether a JWKS URL must be https.</param>
    /// <param name="refreshInterval">How long a fetched JWKS is trusted before it is fetched again (null: IdentityModel's default).</param>
    /// <param name="logger">Where an unreachable JWKS is reported.</param>
    public TrustedIssuerKeys(IEnumerable<TrustedIssuer> issuers, HttpClient http, bool requireHttps, TimeSpan? refreshInterval, ILogger logger)
    {
        _logger = logger;
        foreach (var issuer in issuers)
        {
            if (!string.IsNullOrWhiteSpace(issuer.Jwks))
            {
                _issuers.Add((issuer.Issuer, new StaticConfigurationManager<JsonWebKeySet>(new JsonWebKeySet(issuer.Jwks))));
            }
            else if (!string.IsNullOrWhiteSpace(issuer.JwksUrl))
            {
                var manager = new ConfigurationManager<JsonWebKeySet>(issuer.JwksUrl, new JwksRetriever(), new HttpDocumentRetriever(http) { RequireHttps = requireHttps })
                {
                    RefreshInterval = TimeSpan.FromSeconds(30),
                };
                if (refreshInterval is { } interval)
                {
                    manager.AutomaticRefreshInterval = interval;
                }

                _issuers.Add((issuer.Issuer, manager));
            }
        }
    }

    public IReadOnlyList<string> Issuers => _issuers.Select(i => i.Issuer).ToList();

    /// <summary>Fetches (or reuses the cached) JWKS of one issuer, so that <see cref="KeysFor"/> finds its keys.</summary>
    public async Task WarmAsync(string issuer, CancellationToken cancellationToken)
    {
        foreach (var (name, source) in _issuers)
        {
            if (string.Equals(name, issuer, StringComparison.Ordinal))
            {
                await FetchAsync(name, source, cancellationToken);
            }
        }
    }

    /// <summary>Every issuer's keys as one configuration (JwtBearer's configuration source for CDS Hooks).</summary>
    public async Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
    {
        var sets = new JsonWebKeySet?[_issuers.Count];
        for (var i = 0; i < _issuers.Count; i++)
        {
            sets[i] = await FetchAsync(_issuers[i].Issuer, _issuers[i].Source, cancel);
        }

        lock (_gate)
        {
            if (!sets.SequenceEqual(_mergedFrom, ReferenceEqualityComparer.Instance))
            {
                var configuration = new OpenIdConnectConfiguration { Issuer = _issuers.Count > 0 ? _issuers[0].Issuer : null };
                foreach (var key in _cached.Values.SelectMany(c => c.Keys))
                {
                    configuration.SigningKeys.Add(key);
                }

                _merged = configuration;
                _mergedFrom = sets;
            }

            return _merged;
        }
    }

    /// <summary>
    /// The keys a token from <paramref name="issuer"/> may be signed with (those with its kid when it
    /// names one), as last fetched. Only the issuer's own keys are ever tried.
    /// </summary>
    public IEnumerable<SecurityKey> KeysFor(string? issuer, string? kid)
    {
        IReadOnlyList<SecurityKey> keys;
        lock (_gate)
        {
            if (issuer is null || !_cached.TryGetValue(issuer, out var cached))
            {
                return [];
            }

            keys = cached.Keys;
        }

        return string.IsNullOrEmpty(kid) ? keys : keys.Where(k => k.KeyId == kid).ToList();
    }

    /// <summary>True when <paramref name="key"/> was published by <paramref name="issuer"/>.</summary>
    public bool BelongsTo(SecurityKey key, string? issuer) =>
        issuer is not null && _issuerByKey.TryGetValue(key, out var owner) && string.Equals(owner, issuer, StringComparison.Ordinal);

    /// <summary>Asks every issuer's JWKS to be fetched afresh on next use.</summary>
    public void RequestRefresh()
    {
        foreach (var (_, source) in _issuers)
        {
            source.RequestRefresh();
        }
    }

    /// <summary>Asks one issuer's JWKS to be fetched afresh on next use (a token named a key we have not seen: it may have rotated).</summary>
    public void RequestRefresh(string? issuer)
    {
        foreach (var (name, source) in _issuers)
        {
            if (string.Equals(name, issuer, StringComparison.Ordinal))
            {
                source.RequestRefresh();
            }
        }
    }

    /// <summary>Fetches one issuer's JWKS and caches its asymmetric keys; null when it cannot be fetched (one issuer down must not lock out the others).</summary>
    private async Task<JsonWebKeySet?> FetchAsync(string issuer, IConfigurationManager<JsonWebKeySet> source, CancellationToken cancellationToken)
    {
        JsonWebKeySet set;
        try
        {
            set = await source.GetConfigurationAsync(cancellationToken);
        }
        catch (InvalidOperationException ex)
        {
            LogJwksUnavailable(_logger, issuer, ex.GetType().Name);
            return null;
        }

        lock (_gate)
        {
            if (_cached.TryGetValue(issuer, out var cached) && ReferenceEquals(cached.Set, set))
            {
                return set;
            }

            var keys = set.GetSigningKeys().Where(IsAsymmetric).ToList();
            foreach (var key in keys)
            {
                _issuerByKey.AddOrUpdate(key, issuer);
            }

            _cached[issuer] = (set, keys);
            return set;
        }
    }

    private static bool IsAsymmetric(SecurityKey key) => key is not SymmetricSecurityKey && key is not JsonWebKey { Kty: "oct" };

    [LoggerMessage(EventId = 2201, Level = LogLevel.Warning, Message = "The JWKS of trusted issuer {Issuer} could not be retrieved ({Error}); its tokens are refused until it can")]
    private static partial void LogJwksUnavailable(ILogger logger, string issuer, string error);
}
