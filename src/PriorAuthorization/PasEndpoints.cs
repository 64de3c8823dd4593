using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Http;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class PasEndpoints
{
    public static IServiceCollection AddPas(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<PasOptions>()
            .Bind(configuration.GetSection(PasOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<QuestionnaireAnswerReader>();
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PasOptions>>().Value);
        services.AddSingleton<PasRequestReader>();
        services.AddSingleton<ClaimDecider>();
        services.AddSingleton<ClaimResponseBuilder>();
        services.AddScoped<PasRecordStore>();
        services.AddScoped<PriorAuthorizationService>();
        return services;
    }

    public static IEndpointRouteBuilder MapPas(this IEndpointRouteBuilder endpoints)
    {
        var claim = endpoints.MapGroup("/fhir/Claim").WithTags("PAS");
        claim.MapPost("/$submit", SubmitAsync).WithName("PasSubmit");
        claim.MapPost("/$inquire", InquireAsync).WithName("PasInquire");
        return endpoints;
    }

    /// <summary>POST /fhir/Claim/$submit: a pas-request-bundle in, a pas-response-bundle out.</summary>
    private static Task<FhirResult> SubmitAsync(HttpRequest request, PriorAuthorizationService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
            var outcome = await service.SubmitAsync(bundle, FhirRequestBody.FhirBase(request), cancellationToken);
            return new FhirResult(outcome.ResponseBundle);
        });

    /// <summary>POST /fhir/Claim/$inquire: the current state of an earlier request.</summary>
    private static Task<FhirResult> InquireAsync(HttpRequest request, PriorAuthorizationService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
            var answer = await service.InquireAsync(bundle, FhirRequestBody.FhirBase(request), cancellationToken);
            return answer is null
                ? FhirResult.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, "No prior-authorization request with the inquiry's Claim.identifier is on record.", "Bundle.entry[0].resource.identifier")
                : new FhirResult(answer);
        });
}
