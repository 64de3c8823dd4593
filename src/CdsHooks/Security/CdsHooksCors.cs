using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace SpinePolicy.CdsHooks.Security;

/// <summary>
/// CORS as CDS Hooks 2.0 asks of services, for /cds-services only: any origin may call discovery and
/// the services (browser-based EHRs and sandboxes), with the Authorization and Content-Type headers.
/// Credentials (cookies) are not allowed; nothing else on the server is opened.
/// </summary>
internal static class CdsHooksCors
{
    public const string Policy = "CdsHooks";

    public static IServiceCollection AddCdsHooksCors(this IServiceCollection services)
    {
        services.AddCors(cors => cors.AddPolicy(Policy, policy => policy
            .AllowAnyOrigin()
            .WithMethods("GET", "POST", "OPTIONS")
            .WithHeaders("Authorization", "Content-Type", "Accept")
            .SetPreflightMaxAge(TimeSpan.FromHours(1))));

        // Runs ahead of routing, so the preflight (OPTIONS) never reaches authentication.
        services.AddTransient<IStartupFilter, CorsStartupFilter>();
        return services;
    }

    private sealed class CorsStartupFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseWhen(
                context => context.Request.Path.StartsWithSegments("/cds-services", StringComparison.OrdinalIgnoreCase),
                branch => branch.UseCors(Policy));
            next(app);
        };
    }
}
