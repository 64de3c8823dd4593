using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Http;
using SpinePolicy.PriorAuthorization.Records;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Review;
using SpinePolicy.PriorAuthorization.Submission;
using SpinePolicy.PriorAuthorization.Subscriptions;
using SpinePolicy.Storage.Auditing;

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
        services.AddScoped<ReviewService>();
        services.AddScoped<PasSubscriptionService>();
        services.AddScoped<PasNotifier>();
        services.AddSingleton<NotificationQueue>();
        services.AddHostedService<NotificationSender>();
        services.AddHttpClient(NotificationSender.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton<IAuthorizationHandler, ReviewerAuthorizationHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapPas(this IEndpointRouteBuilder endpoints)
    {
        var fhir = endpoints.MapGroup("/fhir").WithTags("PAS");
        fhir.MapPost("/Claim/$submit", SubmitAsync).WithName("PasSubmit").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("Claim", FhirAccess.Create);
        fhir.MapPost("/Claim/$inquire", InquireAsync).WithName("PasInquire").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("ClaimResponse", FhirAccess.Read);

        // A utilization reviewer finishes a pended request: scope to update ClaimResponses AND the reviewer role.
        fhir.MapPost("/ClaimResponse/{id}/$review", ReviewAsync).WithName("PasReview")
            .RequireFhirScope("ClaimResponse", FhirAccess.Update)
            .RequireAuthorization(new AuthorizationPolicyBuilder(FhirAuthorizationDefaults.Scheme).AddRequirements(new ReviewerRequirement()).Build());

        fhir.MapPost("/Subscription", CreateSubscriptionAsync).WithName("PasSubscriptionCreate").RequireFhirScope("Subscription", FhirAccess.Create);
        fhir.MapGet("/Subscription/{id}", ReadSubscriptionAsync).WithName("PasSubscriptionRead").RequireFhirScope("Subscription", FhirAccess.Read);
        return endpoints;
    }

    /// <summary>POST /fhir/ClaimResponse/{id}/$review: Parameters with one "item" per decided item.</summary>
    private static Task<FhirResult> ReviewAsync(string id, HttpRequest request, ReviewService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var parameters = await FhirRequestBody.ReadAsync<Parameters>(request, cancellationToken);
            var decisions = ReviewDecision.Read(parameters);
            var reviewer = FhirClientIdentity.ClientId(request.HttpContext.User) ?? "an unnamed reviewer";
            var answer = await service.ReviewAsync(id, decisions, reviewer, FhirRequestBody.FhirBase(request), cancellationToken);
            return answer is null
                ? FhirResult.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No ClaimResponse '{id}' is on record.")
                : new FhirResult(answer);
        });

    private static Task<FhirResult> CreateSubscriptionAsync(HttpRequest request, PasSubscriptionService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var subscription = await FhirRequestBody.ReadAsync<Subscription>(request, cancellationToken);
            var (created, stored) = await service.CreateAsync(subscription, cancellationToken);
            return new FhirResult(created, StatusCodes.Status201Created, $"{FhirRequestBody.FhirBase(request)}/Subscription/{stored.Id}/_history/{stored.VersionId}");
        });

    private static async Task<FhirResult> ReadSubscriptionAsync(string id, PasSubscriptionService service, CancellationToken cancellationToken) =>
        await service.ReadAsync(id, cancellationToken) is { } found
            ? new FhirResult(found.Subscription)
            : FhirResult.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"No Subscription '{id}'.");

    /// <summary>POST /fhir/Claim/$submit: a pas-request-bundle in, a pas-response-bundle out.</summary>
    private static Task<FhirResult> SubmitAsync(HttpRequest request, PriorAuthorizationService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var audit = request.HttpContext.Features.Get<AuditSubjects>();
            var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
            PasAuditSubjects.FromRequest(audit, bundle);
            var outcome = await service.SubmitAsync(bundle, FhirRequestBody.FhirBase(request), cancellationToken);
            PasAuditSubjects.FromAnswer(audit, outcome.ResponseBundle);
            return new FhirResult(outcome.ResponseBundle);
        });

    /// <summary>POST /fhir/Claim/$inquire: the current state of an earlier request.</summary>
    private static Task<FhirResult> InquireAsync(HttpRequest request, PriorAuthorizationService service, CancellationToken cancellationToken) =>
        PasErrors.HandleAsync(async () =>
        {
            var audit = request.HttpContext.Features.Get<AuditSubjects>();
            var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
            PasAuditSubjects.FromRequest(audit, bundle);
            var answer = await service.InquireAsync(bundle, FhirRequestBody.FhirBase(request), cancellationToken);
            if (answer is not null)
            {
                PasAuditSubjects.FromAnswer(audit, answer);
            }

            return answer is null
                ? FhirResult.Outcome(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, "No prior-authorization request with the inquiry's Claim.identifier is on record.", "Bundle.entry[0].resource.identifier")
                : new FhirResult(answer);
        });
}
