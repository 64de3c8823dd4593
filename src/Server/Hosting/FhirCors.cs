using Microsoft.Extensions.Options;

namespace SpinePolicy.Server.Hosting;

/// <summary>
/// CORS for the part of /fhir that a DTR SMART app calls from a browser (DTR 2.0.1's payer
/// service: the questionnaire package, adaptive forms, the libraries and value sets they name, and
/// error reports), for PAS's Claim/$submit, and for the discovery documents a SMART client reads
/// first. Only the configured origins are answered; nothing else under /fhir is opened. Runs
/// before everything else so that a preflight (OPTIONS) never reaches routing or authentication,
/// and so that error answers carry the headers too (a browser app must be able to read its
/// OperationOutcome).
/// </summary>
internal static class FhirCors
{
    public const string Policy = "FhirBrowserApps";

    // The type-level prefixes DTR clients read (each also covers its reads, searches and operations,
    // Questionnaire/$log-questionnaire-errors among them).
    private static readonly string[] BrowserReadablePrefixes =
    [
        "/fhir/Questionnaire",
        "/fhir/Library",
        "/fhir/ValueSet",
        "/fhir/CodeSystem",
    ];

    private static readonly string[] BrowserCallablePaths =
    [
        "/fhir/metadata",
        "/fhir/.well-known/smart-configuration",
        // The deprecated alias of Questionnaire/$log-questionnaire-errors, for clients not yet moved.
        "/fhir/QuestionnaireResponse/$log-questionnaire-errors",
        "/fhir/Claim/$submit",
        // DTR's operations at system level (DTR's payer statement lists them there), as on their types.
        "/fhir/$questionnaire-package",
        "/fhir/$next-question",
        "/fhir/$expand",
    ];

    public static IServiceCollection AddFhirCors(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<FhirCorsOptions>()
            .Bind(configuration.GetSection(FhirCorsOptions.SectionName))
            .Validate(o => o.Problem() is null, "FhirCors:AllowedOrigins holds a value that is not an origin (scheme://host[:port]).")
            .ValidateOnStart();
        services.AddCors();
        services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>()
            .Configure<IOptions<FhirCorsOptions>>((cors, fhirCors) => cors.AddPolicy(Policy, policy =>
            {
                var origins = fhirCors.Value.AllowedOrigins;
                if (origins.Contains(FhirCorsOptions.AnyOrigin))
                {
                    policy.AllowAnyOrigin();
                }
                else
                {
                    policy.WithOrigins([.. origins]);
                }

                // Bearer tokens, never cookies: credentials stay off.
                policy.WithMethods("GET", "POST")
                    .WithHeaders("Authorization", "Content-Type", "Accept", "Prefer")
                    .WithExposedHeaders("Location", "Content-Location", "ETag", "Last-Modified", "WWW-Authenticate", "Retry-After")
                    .SetPreflightMaxAge(TimeSpan.FromHours(1));
            }));
        return services;
    }

    /// <summary>The first middleware of the host for the paths above.</summary>
    public static IApplicationBuilder UseFhirCors(this IApplicationBuilder app) =>
        app.UseWhen(context => AppliesTo(context.Request.Path), branch => branch.UseCors(Policy));

    public static bool AppliesTo(PathString path)
    {
        foreach (var exact in BrowserCallablePaths)
        {
            if (path.Equals(exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var prefix in BrowserReadablePrefixes)
        {
            // "/fhir/Questionnaire" and below, but not "/fhir/QuestionnaireResponse".
            if (path.StartsWithSegments(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
