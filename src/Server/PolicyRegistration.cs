using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Document;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.Server;

internal static class PolicyRegistration
{
    /// <summary>
    /// Loads and validates every version of the policy while the host is built (P13): the folder of
    /// documents, or the one document <c>Policy:Path</c> names. A malformed version stops start-up
    /// with a message naming the file and the bad field, never the first request. Decisions use the
    /// version in force on the date of service; <see cref="Policy"/> is the current one (what is
    /// published: questionnaires, the policy link).
    /// </summary>
    public static IServiceCollection AddPolicy(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var configured = configuration["Policy:Path"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine(AppContext.BaseDirectory, "fhir-resources", "policy", "097")
            : Path.GetFullPath(configured, environment.ContentRootPath);
        var timeline = PolicyDocumentReader.ReadTimeline(path);

        // What the payer says about services no loaded policy governs: CRD, DTR and PAS all read it here.
        var ungoverned = configuration.GetSection(UngovernedServices.SectionName).Get<UngovernedServices>() ?? new UngovernedServices();

        services.AddSingleton(timeline);
        services.AddSingleton(timeline.Current);
        services.AddSingleton(ungoverned);
        services.AddSingleton(new CoverageEngine(timeline));
        services.AddSingleton(new NecessityEngine(timeline, ungoverned));

        var coverage = configuration.GetSection(MemberCoverageOptions.SectionName).Get<MemberCoverageOptions>() ?? new MemberCoverageOptions();
        services.AddSingleton(coverage);
        services.AddSingleton(new MemberCoverageReader(coverage));

        // The one FHIR → facts translation every slice uses (CRD, DTR, PAS).
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<OrderFactsReader>();
        return services;
    }
}
