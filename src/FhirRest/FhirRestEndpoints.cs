using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirRest.Assertions;
using SpinePolicy.FhirRest.PayerToPayer;
using SpinePolicy.FhirRest.Rest;
using SpinePolicy.FhirRest.Security;
using SpinePolicy.FhirRest.Smart;

namespace SpinePolicy.FhirRest;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static partial class FhirRestEndpoints
{
    public static IServiceCollection AddFhirRest(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddFhirAuthentication(configuration);
        services.AddOptions<SmartAuthorizationServerOptions>()
            .Bind(configuration.GetSection(SmartAuthorizationServerOptions.SectionName))
            .Validate(o => o.Problem() is null, $"{SmartAuthorizationServerOptions.SectionName}: TokenEndpoint is required with AuthorizationEndpoint, and every endpoint must be an absolute http(s) URL.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<PayerToPayerOptions>()
            .Bind(configuration.GetSection(PayerToPayerOptions.SectionName))
            .Validate(o => o.MaxFailedMatchAttempts > 0 && o.LockoutWindow > TimeSpan.Zero && o.ChangedWithinDays > 0,
                "PayerToPayer: MaxFailedMatchAttempts, LockoutWindow and ChangedWithinDays must be positive.")
            .ValidateOnStart();
        services.AddSingleton<MemberMatchAttemptGuard>();
        services.AddScoped<MemberMatcher>();
        services.AddScoped<PayerToPayerGrants>();
        services.AddScoped<PriorAuthorizationEobs>();
        services.AddFhirRestResourceTypes();
        services.AddScoped<StoredResourceAccess>();
        return services;
    }

    /// <summary>Maps this slice into the host's /fhir route group.</summary>
    public static RouteGroupBuilder MapFhirRest(this RouteGroupBuilder fhir)
    {
        var endpoints = (IEndpointRouteBuilder)fhir;
        var authentication = endpoints.ServiceProvider.GetRequiredService<IOptions<FhirAuthenticationOptions>>().Value;
        if (!authentication.Enabled)
        {
            var logger = endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(FhirRestEndpoints));
            LogAuthenticationDisabled(logger);
        }

        fhir.MapGet("/metadata", (FhirCapabilities capabilities, PublicEndpoints publicEndpoints) =>
            FhirResult.Ok(CapabilityStatementFactory.Build(capabilities, publicEndpoints.FhirBase, authentication.Enabled)));
        SmartConfigurationEndpoint.Map(fhir);
        PayerToPayerEndpoints.Map(fhir);
        CoverageAssertionEndpoints.Map(fhir);
        ResourceEndpoints.Map(fhir);
        return fhir;
    }

    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning,
        Message = "!!! FHIR API AUTHENTICATION IS DISABLED (FhirAuthentication:Enabled=false): every /fhir endpoint is open to anyone. Development only. !!!")]
    private static partial void LogAuthenticationDisabled(ILogger logger);
}
