using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SpinePolicy.CdsHooks.Feedback;
using SpinePolicy.CdsHooks.Member;
using SpinePolicy.CdsHooks.Options;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.CdsHooks.Responses;
using SpinePolicy.CdsHooks.Security;
using SpinePolicy.CdsHooks.Services;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.CdsHooks;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static partial class CdsHooksEndpoints
{
    public static IServiceCollection AddCdsHooks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CdsHooksOptions>()
            .Bind(configuration.GetSection(CdsHooksOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();

        var authentication = configuration.GetSection(CdsHooksAuthenticationOptions.SectionName).Get<CdsHooksAuthenticationOptions>() ?? new CdsHooksAuthenticationOptions();
        services.AddOptions<CdsHooksAuthenticationOptions>()
            .Bind(configuration.GetSection(CdsHooksAuthenticationOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<CdsHooksAuthenticationOptions>, CdsHooksAuthenticationOptionsValidator>();
        if (authentication.Enabled)
        {
            services.AddCdsHooksAuthentication(authentication);
        }

        services.AddCdsHooksCors();

        // CRD's server statement names what the FHIR API offers a CRD client (the CapabilityStatement says we implement it).
        services.AddFhirInstantiates("http://hl7.org/fhir/us/davinci-crd/CapabilityStatement/crd-server");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<FhirServerAllowList>();

        // Redirects are never followed: a 3xx from the EHR would lead the fetch, made with the EHR's
        // bearer token, to a place nobody allow-listed. A 3xx counts as the resource being unavailable.
        services.AddHttpClient<EhrFhirClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false });
        services.AddSingleton<CodedOrderReader>();
        services.AddSingleton<MemberResolver>();
        services.AddSingleton(sp => new CardBuilder(sp.GetRequiredService<Policy>(), sp.GetRequiredService<IOptions<CdsHooksOptions>>().Value.SourceLabel));
        services.AddScoped<CoverageDiscovery>();

        services.AddSingleton<ICrdHookService, OrderSignService>();
        services.AddSingleton<ICrdHookService, OrderSelectService>();
        services.AddSingleton<ICrdHookService, OrderDispatchService>();
        services.AddSingleton<ICrdHookService, AppointmentBookService>();
        services.AddSingleton<ICrdHookService>(sp => EncounterService.Start(sp.GetRequiredService<CodedOrderReader>()));
        services.AddSingleton<ICrdHookService>(sp => EncounterService.Discharge(sp.GetRequiredService<CodedOrderReader>()));
        return services;
    }

    public static IEndpointRouteBuilder MapCdsHooks(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/cds-services");
        group.MapGet("", CdsHooksHandlers.Discovery).WithName("CdsHooksDiscovery");
        var invoke = group.MapPost("/{id}", CdsHooksHandlers.InvokeAsync)
            .WithName("CdsHooksService")
            .WithMetadata(ReportsOwnAuditSubjects.Instance);

        // CDS Hooks 2.0 feedback: same client authentication as the service it is about.
        var feedback = group.MapPost("/{id}/feedback", FeedbackHandler.PostAsync).WithName("CdsHooksFeedback");

        var enabled = endpoints.ServiceProvider.GetRequiredService<IOptions<CdsHooksAuthenticationOptions>>().Value.Enabled;
        if (enabled)
        {
            invoke.RequireAuthorization(CdsHooksAuthentication.Policy);
            feedback.RequireAuthorization(CdsHooksAuthentication.Policy);
        }
        else
        {
            LogAuthenticationDisabled(endpoints.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(CdsHooksEndpoints).FullName!));
        }

        return endpoints;
    }

    [LoggerMessage(EventId = 2000, Level = LogLevel.Warning, Message = "!!! CDS Hooks client authentication is DISABLED (CdsHooks:Authentication:Enabled=false): any caller can invoke the CRD services. Never run like this outside development. !!!")]
    private static partial void LogAuthenticationDisabled(ILogger logger);
}
