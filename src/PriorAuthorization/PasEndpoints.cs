using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using SpinePolicy.Fhir.Http;
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
        AddCapabilities(services);
        return services;
    }

    /// <summary>Maps this slice into the host's /fhir route group.</summary>
    public static RouteGroupBuilder MapPas(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/Claim/$submit", SubmitAsync).WithName("PasSubmit").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("Claim", FhirAccess.Create);
        fhir.MapPost("/Claim/$inquire", InquireAsync).WithName("PasInquire").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("ClaimResponse", FhirAccess.Read);

        // A utilization reviewer finishes a pended request: scope to update ClaimResponses AND the reviewer role.
        fhir.MapPost("/ClaimResponse/{id}/$review", ReviewAsync).WithName("PasReview")
            .RequireFhirScope("ClaimResponse", FhirAccess.Update)
            .RequireAuthorization(new AuthorizationPolicyBuilder(FhirAuthorizationDefaults.Scheme).AddRequirements(new ReviewerRequirement()).Build());

        fhir.MapPost("/Subscription", CreateSubscriptionAsync).WithName("PasSubscriptionCreate").RequireFhirScope("Subscription", FhirAccess.Create);
        fhir.MapGet("/Subscription/{id}", ReadSubscriptionAsync).WithName("PasSubscriptionRead").RequireFhirScope("Subscription", FhirAccess.Read);
        return fhir;
    }

    /// <summary>What this slice serves on /fhir, for the CapabilityStatement.</summary>
    private static void AddCapabilities(IServiceCollection services)
    {
        services.AddFhirInstantiates("http://hl7.org/fhir/us/davinci-pas/CapabilityStatement/IntermediaryCapabilities");
        services.AddFhirOperation("Claim", new ServedOperation("submit",
            "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-submit", "PAS prior-authorization request."));
        services.AddFhirOperation("Claim", new ServedOperation("inquire",
            "http://hl7.org/fhir/us/davinci-pas/OperationDefinition/Claim-inquiry", "PAS prior-authorization inquiry."));
        services.AddFhirOperation("ClaimResponse", new ServedOperation("review",
            "https://spinepolicy.example.org/fhir/OperationDefinition/ClaimResponse-review", "A utilization reviewer decides a pended request: POST ClaimResponse/{id}/$review (reviewer role required)."));
        services.AddFhirResourceType(new ServedResourceType("Subscription", ServedRoutes.Own,
            [CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.Read], [], [],
            ["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"],
            "PAS pended-decision notifications (R4 Subscriptions backport)."));
    }

    /// <summary>POST /fhir/ClaimResponse/{id}/$review: Parameters with one "item" per decided item.</summary>
    private static async Task<FhirResult> ReviewAsync(string id, HttpRequest request, ReviewService service, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var parameters = await FhirRequestBody.ReadAsync<Parameters>(request, cancellationToken);
        var decisions = ReviewDecision.Read(parameters);
        var reviewer = FhirClientIdentity.ClientId(request.HttpContext.User) ?? "an unnamed reviewer";
        var answer = await service.ReviewAsync(id, decisions, reviewer, publicEndpoints.FhirBase, cancellationToken)
            ?? throw FhirHttpException.NotFound($"No ClaimResponse '{id}' is on record.");
        return FhirResult.Ok(answer);
    }

    private static async Task<FhirResult> CreateSubscriptionAsync(HttpRequest request, PasSubscriptionService service, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var subscription = await FhirRequestBody.ReadAsync<Subscription>(request, cancellationToken);
        var (created, stored) = await service.CreateAsync(subscription, cancellationToken);
        return FhirResult.Created(created, $"{publicEndpoints.FhirBase}/Subscription/{stored.Id}/_history/{stored.VersionId}");
    }

    private static async Task<FhirResult> ReadSubscriptionAsync(string id, PasSubscriptionService service, CancellationToken cancellationToken) =>
        await service.ReadAsync(id, cancellationToken) is { } found
            ? FhirResult.Ok(found.Subscription)
            : throw FhirHttpException.NotFound($"No Subscription '{id}'.");

    /// <summary>POST /fhir/Claim/$submit: a pas-request-bundle in, a pas-response-bundle out.</summary>
    private static async Task<FhirResult> SubmitAsync(HttpRequest request, PriorAuthorizationService service, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var audit = request.HttpContext.Features.Get<AuditSubjects>();
        var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
        PasAuditSubjects.FromRequest(audit, bundle);
        var outcome = await service.SubmitAsync(bundle, publicEndpoints.FhirBase, cancellationToken);
        PasAuditSubjects.FromAnswer(audit, outcome.ResponseBundle);
        return FhirResult.Ok(outcome.ResponseBundle);
    }

    /// <summary>POST /fhir/Claim/$inquire: the current state of an earlier request.</summary>
    private static async Task<FhirResult> InquireAsync(HttpRequest request, PriorAuthorizationService service, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var audit = request.HttpContext.Features.Get<AuditSubjects>();
        var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
        PasAuditSubjects.FromRequest(audit, bundle);
        var answer = await service.InquireAsync(bundle, publicEndpoints.FhirBase, cancellationToken)
            ?? throw FhirHttpException.NotFound("No prior-authorization request with the inquiry's Claim.identifier is on record.", "Bundle.entry[0].resource.identifier");
        PasAuditSubjects.FromAnswer(audit, answer);
        return FhirResult.Ok(answer);
    }
}
