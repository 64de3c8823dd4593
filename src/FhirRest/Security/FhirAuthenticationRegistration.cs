using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;

namespace SpinePolicy.FhirRest.Security;

/// <summary>
/// FHIR API access tokens: a JwtBearer scheme of its own (<see cref="FhirAuthorizationDefaults.Scheme"/>)
/// that accepts RS384/ES384 JWTs from the configured issuers only, with audience and expiry
/// required, and the scope check every /fhir endpoint opts into with RequireFhirScope.
/// </summary>
internal static class FhirAuthenticationRegistration
{
    /// <summary>SMART Backend Services asymmetric algorithms; "none" and HMAC are never accepted.</summary>
    public static readonly IReadOnlyList<string> AcceptedAlgorithms = [SecurityAlgorithms.RsaSha384, SecurityAlgorithms.EcdsaSha384];

    public static IServiceCollection AddFhirAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(FhirAuthenticationOptions.SectionName);
        services.AddOptions<FhirAuthenticationOptions>()
            .Bind(section)
            .PostConfigure(options =>
            {
                // The Development environment runs without tokens unless the setting is explicit.
                if (section["Enabled"] is null && IsDevelopment(configuration))
                {
                    options.Enabled = false;
                }
            })
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<FhirAuthenticationOptions>, FhirAuthenticationOptionsValidator>();
        services.AddSingleton(sp => new FhirAuthorizationSwitch(sp.GetRequiredService<IOptions<FhirAuthenticationOptions>>().Value.Enabled));
        services.AddSingleton(sp => new FhirCallers(
            sp.GetRequiredService<FhirAuthorizationSwitch>(),
            sp.GetRequiredService<IOptions<FhirAuthenticationOptions>>().Value.Clients));

        services.AddHttpClient(nameof(TrustedIssuerKeys));
        services.AddKeyedSingleton(FhirAuthorizationDefaults.Scheme, (sp, _) =>
        {
            var settings = sp.GetRequiredService<IOptions<FhirAuthenticationOptions>>().Value;
            return new TrustedIssuerKeys(
                settings.Enabled ? settings.Issuers.Select(i => new TrustedIssuer(i.Issuer, i.Jwks, i.JwksUrl)) : [],
                sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(TrustedIssuerKeys)),
                settings.RequireHttpsJwks,
                refreshInterval: null,
                sp.GetRequiredService<ILoggerFactory>().CreateLogger<TrustedIssuerKeys>());
        });
        services.AddScoped<FhirBearerEvents>();
        services.AddSingleton<IAuthorizationHandler, FhirScopeAuthorizationHandler>();

        services.AddAuthentication().AddJwtBearer(FhirAuthorizationDefaults.Scheme, _ => { });
        services.AddOptions<JwtBearerOptions>(FhirAuthorizationDefaults.Scheme)
            .Configure<IOptions<FhirAuthenticationOptions>, IServiceProvider, PublicEndpoints>((bearer, options, provider, endpoints) =>
            {
                var keys = provider.GetRequiredKeyedService<TrustedIssuerKeys>(FhirAuthorizationDefaults.Scheme);
                var settings = options.Value;
                bearer.MapInboundClaims = false;
                bearer.IncludeErrorDetails = false;
                bearer.SaveToken = false;
                bearer.EventsType = typeof(FhirBearerEvents);
                bearer.TokenValidationParameters = new TokenValidationParameters
                {
                    ValidateIssuer = true,
                    ValidIssuers = [.. settings.Issuers.Select(i => i.Issuer)],
                    ValidateAudience = true,
                    // The configured audience, else the public FHIR base; never the request's Host.
                    ValidAudience = string.IsNullOrWhiteSpace(settings.Audience) ? endpoints.FhirBase : settings.Audience,
                    ValidateLifetime = true,
                    RequireExpirationTime = true,
                    RequireSignedTokens = true,
                    ValidateIssuerSigningKey = true,
                    ValidAlgorithms = AcceptedAlgorithms,
                    ClockSkew = settings.ClockSkew,
                    NameClaimType = "client_id",
                    IssuerSigningKeyResolver = (_, token, kid, _) => keys.KeysFor(token?.Issuer, kid),
                    TryAllIssuerSigningKeys = false,

                    // A second guard: whatever key verified the signature must be the token issuer's own.
                    IssuerSigningKeyValidator = (key, token, _) => keys.BelongsTo(key, token?.Issuer),
                };
            });
        services.AddAuthorization();
        return services;
    }

    private static bool IsDevelopment(IConfiguration configuration) =>
        string.Equals(configuration[HostDefaults.EnvironmentKey], Environments.Development, StringComparison.OrdinalIgnoreCase)
        || string.Equals(configuration["ASPNETCORE_ENVIRONMENT"], Environments.Development, StringComparison.OrdinalIgnoreCase);
}
