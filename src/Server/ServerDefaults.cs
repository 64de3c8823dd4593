using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Server.Hosting;
using SpinePolicy.Server.Hosting.Audit;
using SpinePolicy.Server.Hosting.DataProtection;
using SpinePolicy.Server.Hosting.Health;
using SpinePolicy.Server.Hosting.Telemetry;

namespace SpinePolicy.Server;

/// <summary>Cross-cutting host settings: limits, error handling, security headers, rate limits, audit, health, telemetry.</summary>
internal static class ServerDefaults
{
    public static WebApplicationBuilder AddServerDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddProblemDetails();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.TryAddSingleton(TimeProvider.System);
        builder.AddTelemetry();

        // HttpClientFactory's own request logging writes every URL it fetches (".../Patient/pat-1"):
        // our clients log resource types, statuses and timings themselves, never a URL.
        services.ConfigureHttpClientDefaults(http => http.RemoveAllLoggers());

        // The server's own public address: audiences and links come from it, never from Host.
        services.AddSingleton(PublicEndpoints.FromConfiguration(builder.Configuration, builder.Environment));
        services.AddSingleton(new ProxySettings(services.AddTrustedProxies(builder.Configuration)));

        // Slices add their own schemes and policies; the host owns the middleware order.
        services.AddAuthentication();
        services.AddAuthorization();

        // Cookies and antiforgery tokens one instance issues are read by every other one.
        services.AddSharedDataProtection();

        services.AddOptions<RequestLimitOptions>()
            .Bind(builder.Configuration.GetSection(RequestLimitOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<RateLimitingOptions>()
            .Bind(builder.Configuration.GetSection(RateLimitingOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton<SharedRequestBudget>();
        services.AddFhirCors(builder.Configuration);

        // One background writer commits audit records in batches (see AuditWriter for the trade-off).
        services.AddOptions<AuditJournalOptions>().Bind(builder.Configuration.GetSection(AuditJournalOptions.SectionName));
        services.AddSingleton<AuditJournal>();
        services.AddSingleton<AuditWriter>();
        services.AddHostedService(provider => provider.GetRequiredService<AuditWriter>());
        services.AddReadinessChecks();

        // Kestrel refuses anything larger than the largest API limit on the wire; the per-API
        // limit is applied per request by RequestLimitsMiddleware.
        services.AddOptions<KestrelServerOptions>()
            .Configure<IOptions<RequestLimitOptions>>((kestrel, limits) => kestrel.Limits.MaxRequestBodySize = limits.Value.Largest);

        if (!builder.Environment.IsDevelopment())
        {
            services.AddHsts(options =>
            {
                options.MaxAge = TimeSpan.FromDays(365);
                options.IncludeSubDomains = true;
            });
        }

        return builder;
    }

    /// <summary>
    /// The middleware order matters: CORS for browser apps comes first, so that preflights are
    /// answered before anything else and error answers carry its headers; errors are mapped next so
    /// that nothing escapes as a stack trace; limits run before any endpoint reads a body; the caller is authenticated before
    /// rate limiting (so limits are per client) and auditing (so records name the client); auditing
    /// wraps authorization (so a 403 is recorded too).
    /// </summary>
    public static WebApplication UseServerDefaults(this WebApplication app)
    {
        if (app.Services.GetRequiredService<ProxySettings>().Trusted)
        {
            app.UseForwardedHeaders();
        }

        app.UseFhirCors();
        app.UseExceptionHandler();
        app.UseStatusCodePages(EmptyErrorBodies.FillAsync);
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseMiddleware<RequestLimitsMiddleware>();
        app.UseRouting();
        app.UseAuthentication();

        // Auditing wraps authorization, so a 403 the scope or role check answers is recorded like
        // every other refusal (AuditMiddleware leaves out 401 and 429, see there).
        app.UseMiddleware<AuditMiddleware>();
        app.UseAuthorization();
        app.UseMiddleware<RequestBudgetMiddleware>();
        return app;
    }

    /// <summary>Whether forwarded headers from configured proxies are honoured.</summary>
    private sealed record ProxySettings(bool Trusted);

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapHealthEndpoints();
        return app;
    }
}
