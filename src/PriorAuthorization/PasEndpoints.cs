using SpinePolicy.Fhir.Facts;
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
using SpinePolicy.PriorAuthorization.History;
using SpinePolicy.PriorAuthorization.Clocks;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PriorAuthorization.Decision;
using SpinePolicy.PriorAuthorization.Http;
using SpinePolicy.PriorAuthorization.Metrics;
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
        services.AddSingleton<IMemberHistory, MemberHistoryReader>();
        services.AddSingleton<ClaimResponseBuilder>();
        services.AddScoped<PasRecordStore>();
        services.AddScoped<PriorAuthorizationService>();
        services.AddScoped<ReviewService>();
        services.AddScoped<IReviewRecorder>(sp => sp.GetRequiredService<ReviewService>());
        services.AddOptions<DecisionDeadlineOptions>()
            .Bind(configuration.GetSection(DecisionDeadlineOptions.SectionName))
            .Validate(o => o.Urgent > TimeSpan.Zero && o.Standard > TimeSpan.Zero, "Pas:DecisionDeadlines:Urgent and :Standard must be positive durations.")
            .Validate(o => o.MaxExtension >= TimeSpan.Zero, "Pas:DecisionDeadlines:MaxExtension must not be negative (zero turns extensions off).")
            .ValidateOnStart();
        services.AddSingleton(sp => new DecisionDeadline(sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<DecisionDeadlineOptions>>().Value));
        services.AddScoped<PendedRequestQueue>();
        services.AddOptions<PriorAuthorizationReportOptions>().Bind(configuration.GetSection(PriorAuthorizationReportOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<PriorAuthorizationReportOptions>>().Value);
        services.AddScoped<RequestHistoryReader>();
        services.AddScoped<PriorAuthorizationReportBuilder>();
        services.AddSingleton<PriorAuthorizationReportCache>();
        services.AddScoped<PasSubscriptionService>();
        services.AddScoped<PasNotifier>();
        services.AddSingleton<NotificationWakeUp>();
        services.AddHostedService<NotificationDispatcher>();
        services.AddSingleton<SubscriptionEndpointPolicy>();

        // Every connection a notification opens is checked against this instance's endpoint policy,
        // and a redirect is never followed (it could lead anywhere).
        services.AddHttpClient(NotificationDispatcher.ClientName, client => client.Timeout = TimeSpan.FromSeconds(10))
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                ConnectCallback = sp.GetRequiredService<SubscriptionEndpointPolicy>().ConnectAsync,
            });
        services.AddSingleton<IAuthorizationHandler, ReviewerAuthorizationHandler>();
        AddCapabilities(services);
        return services;
    }

    /// <summary>Maps this slice into the host's /fhir route group.</summary>
    public static RouteGroupBuilder MapPas(this RouteGroupBuilder fhir)
    {
        fhir.MapPost("/Claim/$submit", SubmitAsync).WithName("PasSubmit").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("Claim", FhirAccess.Create);
        fhir.MapPost("/Claim/$inquire", InquireAsync).WithName("PasInquire").WithMetadata(ReportsOwnAuditSubjects.Instance).RequireFhirScope("ClaimResponse", FhirAccess.Read);

        // A utilization reviewer finishes a pended request: scope to update ClaimResponses AND the reviewer application's binding.
        fhir.MapPost("/ClaimResponse/{id}/$review", ReviewAsync).WithName("PasReview")
            .RequireFhirScope("ClaimResponse", FhirAccess.Update)
            .RequireAuthorization(new AuthorizationPolicyBuilder(FhirAuthorizationDefaults.Scheme).AddRequirements(new ReviewerRequirement()).Build());

        fhir.MapPost("/Subscription", CreateSubscriptionAsync).WithName("PasSubscriptionCreate").RequireFhirScope("Subscription", FhirAccess.Create);
        fhir.MapGet("/Subscription/{id}", ReadSubscriptionAsync).WithName("PasSubscriptionRead").RequireFhirScope("Subscription", FhirAccess.Read);
        fhir.MapPut("/Subscription/{id}", UpdateSubscriptionAsync).WithName("PasSubscriptionUpdate").RequireFhirScope("Subscription", FhirAccess.Update);
        fhir.MapDelete("/Subscription/{id}", DeleteSubscriptionAsync).WithName("PasSubscriptionDelete").RequireFhirScope("Subscription", FhirAccess.Delete);
        fhir.MapMethods("/Subscription/{id}/$status", [HttpMethods.Get, HttpMethods.Post], SubscriptionStatusAsync).WithName("PasSubscriptionStatus").RequireFhirScope("Subscription", FhirAccess.Read);
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
            "https://spinepolicy.example.org/fhir/OperationDefinition/ClaimResponse-review", "A utilization reviewer decides a pended request or appeal (\"item\" parameters), or extends its decision timeframe once (\"extendTimeframe\": days, reason): POST ClaimResponse/{id}/$review (reviewer role required)."));
        services.AddFhirOperation("Subscription", new ServedOperation("status",
            "http://hl7.org/fhir/uv/subscriptions-backport/OperationDefinition/backport-subscription-status", "Subscriptions backport: GET Subscription/{id}/$status, the subscription's status and events-since-subscription-start."));
        services.AddFhirResourceType(new ServedResourceType("Subscription", ServedRoutes.Own,
            [CapabilityStatement.TypeRestfulInteraction.Create, CapabilityStatement.TypeRestfulInteraction.Read,
                CapabilityStatement.TypeRestfulInteraction.Update, CapabilityStatement.TypeRestfulInteraction.Delete], [], [],
            ["http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-subscription"],
            "PAS pended-decision notifications (R4 Subscriptions backport).",
            [PasCodes.SubscriptionTopic]));
    }

    /// <summary>POST /fhir/ClaimResponse/{id}/$review: Parameters with one "item" per decided item and/or an "extendTimeframe"; If-Match honoured.</summary>
    private static async Task<FhirResult> ReviewAsync(string id, HttpRequest request, ReviewService service, FhirCallers callers, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var parameters = await FhirRequestBody.ReadAsync<Parameters>(request, cancellationToken);
        var review = ReviewRequest.Read(parameters) with { IfMatchVersion = FhirIfMatch.Version(request) };
        var reviewer = callers.Of(request.HttpContext).ClientId ?? "an unnamed reviewer";
        var answer = await service.ReviewAsync(id, review, reviewer, publicEndpoints.FhirBase, cancellationToken)
            ?? throw FhirHttpException.NotFound($"No ClaimResponse '{id}' is on record.");
        return FhirResult.Ok(answer);
    }

    private static async Task<FhirResult> CreateSubscriptionAsync(HttpRequest request, PasSubscriptionService service, FhirCallers callers, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var subscription = await FhirRequestBody.ReadAsync<Subscription>(request, cancellationToken);
        var (created, stored) = await service.CreateAsync(subscription, callers.Of(request.HttpContext), cancellationToken);
        return FhirResult.Created(created, $"{publicEndpoints.FhirBase}/Subscription/{stored.Id}/_history/{stored.VersionId}")
            .WithVersionHeaders(stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture), stored.LastUpdated);
    }

    private static async Task<FhirResult> ReadSubscriptionAsync(string id, HttpContext context, PasSubscriptionService service, FhirCallers callers, CancellationToken cancellationToken) =>
        await service.ReadAsync(id, callers.Of(context), cancellationToken) is { } found
            ? FhirResult.Ok(found.Subscription).WithVersionHeaders(found.Stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture), found.Stored.LastUpdated)
            : throw FhirHttpException.NotFound($"No Subscription '{id}'.");

    /// <summary>PUT /fhir/Subscription/{id}: e.g. status "off" to stop it, "requested" to resume it; If-Match honoured.</summary>
    private static async Task<FhirResult> UpdateSubscriptionAsync(string id, HttpRequest request, PasSubscriptionService service, FhirCallers callers, CancellationToken cancellationToken)
    {
        var subscription = await FhirRequestBody.ReadAsync<Subscription>(request, cancellationToken);
        // An update answers as every FHIR write does: ETag, and Prefer: return=… honoured.
        return await service.UpdateAsync(id, subscription, FhirIfMatch.Version(request), callers.Of(request.HttpContext), cancellationToken) is { } updated
            ? FhirResult.Written(updated.Subscription)
                .WithVersionHeaders(updated.Stored.VersionId.ToString(System.Globalization.CultureInfo.InvariantCulture), updated.Stored.LastUpdated)
            : throw FhirHttpException.NotFound($"No Subscription '{id}'; create one with POST /fhir/Subscription.");
    }

    private static async Task<IResult> DeleteSubscriptionAsync(string id, HttpContext context, PasSubscriptionService service, FhirCallers callers, CancellationToken cancellationToken) =>
        await service.DeleteAsync(id, callers.Of(context), cancellationToken)
            ? TypedResults.NoContent()
            : throw FhirHttpException.NotFound($"No Subscription '{id}'.");

    /// <summary>GET or POST /fhir/Subscription/{id}/$status (Subscriptions backport).</summary>
    private static async Task<FhirResult> SubscriptionStatusAsync(string id, HttpContext context, PasSubscriptionService service, FhirCallers callers, PublicEndpoints publicEndpoints, CancellationToken cancellationToken) =>
        await service.StatusAsync(id, publicEndpoints.FhirBase, callers.Of(context), cancellationToken) is { } status
            ? FhirResult.Ok(status)
            : throw FhirHttpException.NotFound($"No Subscription '{id}'.");

    /// <summary>POST /fhir/Claim/$submit: a pas-request-bundle in, a pas-response-bundle out.</summary>
    private static async Task<FhirResult> SubmitAsync(HttpRequest request, PriorAuthorizationService service, FhirCallers callers, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var audit = request.HttpContext.Features.Get<AuditSubjects>();
        var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
        PasAuditSubjects.FromRequest(audit, bundle);
        var outcome = await service.SubmitAsync(bundle, callers.Of(request.HttpContext), publicEndpoints.FhirBase, cancellationToken);
        PasAuditSubjects.FromAnswer(audit, outcome.ResponseBundle);
        return FhirResult.Ok(outcome.ResponseBundle);
    }

    /// <summary>POST /fhir/Claim/$inquire: the current state of an earlier request.</summary>
    private static async Task<FhirResult> InquireAsync(HttpRequest request, PriorAuthorizationService service, FhirCallers callers, PublicEndpoints publicEndpoints, CancellationToken cancellationToken)
    {
        var caller = callers.Of(request.HttpContext);
        if (!(caller.IsProvider || caller.IsPayerStaff))
        {
            throw FhirHttpException.Forbidden("Claim/$inquire is for providers and this payer's staff.");
        }

        var audit = request.HttpContext.Features.Get<AuditSubjects>();
        var bundle = await FhirRequestBody.ReadAsync<Bundle>(request, cancellationToken);
        PasAuditSubjects.FromRequest(audit, bundle);
        var answer = await service.InquireAsync(bundle, caller, publicEndpoints.FhirBase, cancellationToken)
            ?? throw FhirHttpException.NotFound("No prior-authorization request on record matches the inquiry's Claim.identifier, member id and provider.", "Bundle.entry[0].resource.identifier");
        PasAuditSubjects.FromAnswer(audit, answer);
        return FhirResult.Ok(answer);
    }
}
