using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Server;

public static class PolicyRegistration
{
    /// <summary>
    /// Loads and validates the policy document while the host is built: a malformed policy stops
    /// start-up with a message naming the bad field, never the first request.
    /// </summary>
    public static IServiceCollection AddPolicy(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Policy:Path"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "fhir-resources", "policy", "policy-097.json")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        var policy = PolicyDocumentReader.ReadFile(path);

        services.AddSingleton(policy);
        services.AddSingleton(new CoverageEngine(policy));
        services.AddSingleton(new NecessityEngine(policy));

        var coverage = configuration.GetSection(MemberCoverageOptions.SectionName).Get<MemberCoverageOptions>() ?? new MemberCoverageOptions();
        services.AddSingleton(coverage);
        services.AddSingleton(new MemberCoverageReader(coverage));

        // The one FHIR → facts translation every slice uses (CRD, DTR, PAS).
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrderFactsReader>();
        return services;
    }
}
