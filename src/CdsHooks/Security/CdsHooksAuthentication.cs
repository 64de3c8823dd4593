using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.CdsHooks.Options;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.Storage;

namespace SpinePolicy.CdsHooks.Security;

/// <summary>
/// CDS Hooks 2.0 client authentication: the EHR signs a short-lived JWT (iss, aud = the called
/// service URL, exp, jti) with an asymmetric key it publishes. Its own JwtBearer scheme, separate
/// from the FHIR API's. Failures are a 401 whose JSON message never says why; tokens are never logged.
/// </summary>
internal static partial class CdsHooksAuthentication
{
    public const string Scheme = "CdsHooksClient";
    public const string Policy = "CdsHooksClient";
    public const string JwksHttpClient = "SpinePolicy.CdsHooks.Jwks";

    /// <summary>CDS Hooks requires ES384 and RS384; the stronger siblings are accepted too. No HMAC, no "none".</summary>
    public static IReadOnlyList<string> Algorithms { get; } =
    [
        SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384,
        SecurityAlgorithms.RsaSha512, SecurityAlgorithms.EcdsaSha512,
        SecurityAlgorithms.RsaSsaPssSha384, SecurityAlgorithms.RsaSsaPssSha512,
    ];

    public static IServiceCollection AddCdsHooksAuthentication(this IServiceCollection services, CdsHooksAuthenticationOptions options)
    {
        services.AddHttpClient(JwksHttpClient, client => client.Timeout = TimeSpan.FromSeconds(10));
        // The EHRs' keys, in the key source the FHIR API's scheme uses too (keyed by scheme).
        // JWKS URLs may be http: an EHR on a private network is common, and the URL is the operator's own setting.
        services.AddKeyedSingleton(Scheme, (sp, _) => new TrustedIssuerKeys(
            options.TrustedClients.Select(c => new TrustedIssuer(c.Issuer, c.Jwks, c.JwksUrl)),
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(JwksHttpClient),
            requireHttps: false,
            options.JwksRefreshInterval,
            sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrustedIssuerKeys>()));

        services.AddAuthentication().AddJwtBearer(Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(Scheme).Configure<IServiceProvider>((bearer, provider) =>
        {
            var keys = provider.GetRequiredKeyedService<TrustedIssuerKeys>(Scheme);
            bearer.ConfigurationManager = keys;
            bearer.IncludeErrorDetails = false;
            bearer.MapInboundClaims = false;
            bearer.RequireHttpsMetadata = false;
            bearer.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuers = keys.Issuers,

                // The audience is the called service URL, which only the request knows: checked in OnTokenValidated.
                ValidateAudience = false,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = options.ClockSkew,
                RequireSignedTokens = true,
                ValidAlgorithms = Algorithms,
                ValidateIssuerSigningKey = true,
                IssuerSigningKeyResolver = (_, token, kid, _) => keys.KeysFor(token?.Issuer, kid),
                TryAllIssuerSigningKeys = false,

                // A second guard: whatever key verified the signature must be the token issuer's own.
                IssuerSigningKeyValidator = (key, token, _) => keys.BelongsTo(key, token?.Issuer),
            };
            bearer.Events = new JwtBearerEvents
            {
                OnTokenValidated = context => CheckAudienceLifetimeAndReplayAsync(context, options),
                OnAuthenticationFailed = context =>
                {
                    LogRefused(Logger(context.HttpContext), context.Exception.GetType().Name);
                    return Task.CompletedTask;
                },
            };
        });

        services.AddAuthorizationBuilder().AddPolicy(Policy, policy => policy.AddAuthenticationSchemes(Scheme).RequireAuthenticatedUser());
        return services;
    }

    /// <summary>The longest jti remembered: ample for a nonce (a UUID is 36), well within what every store indexes.</summary>
    internal const int MaxJtiLength = 255;

    /// <summary>
    /// CDS Hooks: aud is the URL of the service called; iat is required and the token short-lived
    /// (CRD: at most five minutes, <see cref="CdsHooksAuthenticationOptions.MaxTokenLifetime"/>); no
    /// unknown "crit" header; jti is single-use (IReplayCache).
    /// </summary>
    private static async Task CheckAudienceLifetimeAndReplayAsync(TokenValidatedContext context, CdsHooksAuthenticationOptions options)
    {
        var clockSkew = options.ClockSkew;
        var logger = Logger(context.HttpContext);
        if (context.SecurityToken is not JsonWebToken token)
        {
            context.Fail("Unexpected token type.");
            return;
        }

        // The configured public address, never the Host header: a caller controls Host.
        var called = PublicEndpoints.Of(context.HttpContext).BaseUrl + context.HttpContext.Request.Path.ToUriComponent();
        if (!token.Audiences.Any(audience => SameUrl(audience, called)))
        {
            LogRefused(logger, "audience is not the called service URL");
            context.Fail("Wrong audience.");
            return;
        }

        // The JWT library checks exp against the system clock; the same clock here, so both checks agree.
        var now = DateTime.UtcNow;
        if (TokenLimits.Refusal(token, now, options.MaxTokenLifetime, clockSkew, requireIssuedAt: true) is { } refusal)
        {
            LogRefused(logger, refusal);
            context.Fail("Token limits.");
            return;
        }

        if (string.IsNullOrEmpty(token.Id))
        {
            LogRefused(logger, "no jti");
            context.Fail("No jti.");
            return;
        }

        // The replay cache keeps the jti as written, in an index: PostgreSQL's takes about 2.7 KB at
        // most (a longer jti was a 503, "database unavailable") and no NUL (a 400 there, accepted on
        // SQLite). A nonce needs neither; refused as every other bad token is, on every store.
        if (token.Id.Length > MaxJtiLength || token.Id.Any(char.IsControl))
        {
            LogRefused(logger, "jti too long or holding a control character");
            context.Fail("Unusable jti.");
            return;
        }

        var replayCache = context.HttpContext.RequestServices.GetService<IReplayCache>();
        if (replayCache is null)
        {
            // Fail closed: without replay protection a captured token could be reused.
            LogNoReplayCache(logger);
            context.Fail("No replay cache.");
            return;
        }

        // Remembered until the token could no longer be accepted at all: exp plus the clock skew the
        // lifetime check tolerates (else an expired token replays freely inside the skew window).
        var acceptedUntil = new DateTimeOffset(token.ValidTo, TimeSpan.Zero) + clockSkew;
        if (!await replayCache.TryRecordAsync(token.Issuer, token.Id, acceptedUntil, context.HttpContext.RequestAborted))
        {
            LogRefused(logger, "jti replayed");
            context.Fail("Replayed.");
        }
    }

    private static bool SameUrl(string audience, string called)
    {
        if (!Uri.TryCreate(audience, UriKind.Absolute, out var a) || !Uri.TryCreate(called, UriKind.Absolute, out var c))
        {
            return false;
        }

        // Scheme and host compare case-insensitively (Uri normalizes them); the path exactly, bar a trailing slash.
        return a.Scheme == c.Scheme
            && a.Authority == c.Authority
            && string.Equals(a.AbsolutePath.TrimEnd('/'), c.AbsolutePath.TrimEnd('/'), StringComparison.Ordinal);
    }

    private static ILogger Logger(HttpContext context) =>
        context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CdsHooksAuthentication).FullName!);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "CDS Hooks client token refused: {Reason}")]
    private static partial void LogRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Error, Message = "No IReplayCache is registered: CDS Hooks client tokens are refused until storage provides one")]
    private static partial void LogNoReplayCache(ILogger logger);
}
