using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.FhirQuestionnaire.Http;
using SpinePolicy.FhirQuestionnaire.Operations;
using SpinePolicy.PolicyEngine;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.FhirQuestionnaire;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class DtrEndpoints
{
    public static IServiceCollection AddDtr(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(DtrOptions.SectionName).Get<DtrOptions>() ?? new DtrOptions();
        services.AddOptions<DtrOptions>().Bind(configuration.GetSection(DtrOptions.SectionName)).ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(sp =>
        {
            var directory = string.IsNullOrWhiteSpace(options.ArtifactsPath)
                ? Path.Combine(AppContext.BaseDirectory, "fhir-resources")
                : Path.GetFullPath(options.ArtifactsPath, sp.GetRequiredService<IWebHostEnvironment>().ContentRootPath);
            var artifacts = PublishedArtifactLoader.Load(directory, sp.GetRequiredService<Policy>());
            var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DtrEndpoints));
            DtrLog.ArtifactsLoaded(logger, artifacts.Resources.Count, directory);
            return artifacts;
        });
        services.AddSingleton<IQuestionnaireCatalog>(sp => sp.GetRequiredService<PublishedArtifacts>());
        services.AddHostedService<ArtifactStartupCheck>();
        services.AddSingleton<QuestionnaireAnswerReader>();
        services.AddSingleton<ValueSetExpander>();
        services.AddSingleton<CaseFactsReader>();
        services.AddSingleton<PackageFactsReader>();
        services.AddSingleton<QuestionnaireResponseEvaluator>();
        services.AddSingleton<DraftResponseBuilder>();
        services.AddSingleton<PriorTreatmentFinder>();
        services.AddScoped<QuestionnairePackageService>();
        services.AddScoped<NextQuestionService>();
        services.AddSingleton<DtrErrorFilter>();
        return services;
    }

    public static IEndpointRouteBuilder MapDtr(this IEndpointRouteBuilder endpoints)
    {
        var fhir = endpoints.MapGroup("/fhir").AddEndpointFilter<DtrErrorFilter>().WithTags("DTR");

        fhir.MapPost("/Questionnaire/$questionnaire-package", async (HttpRequest request, QuestionnairePackageService service, CancellationToken cancellationToken) =>
            new FhirResourceResult(await service.PackageAsync(await FhirRequestReader.ReadAsync(request, cancellationToken), request.HttpContext.Features.Get<AuditSubjects>(), cancellationToken)))
            .WithMetadata(ReportsOwnAuditSubjects.Instance)
            .RequireFhirScope("Questionnaire", FhirAccess.Read);

        fhir.MapPost("/Questionnaire/$next-question", async (HttpRequest request, NextQuestionService service, CancellationToken cancellationToken) =>
            new FhirResourceResult(await service.NextAsync(await FhirRequestReader.ReadAsync(request, cancellationToken), cancellationToken)))
            .RequireFhirScope("Questionnaire", FhirAccess.Read);

        fhir.MapPost("/QuestionnaireResponse/$log-questionnaire-errors", LogQuestionnaireErrorsAsync)
            .RequireFhirScope("QuestionnaireResponse", FhirAccess.Create);

        fhir.MapGet("/ValueSet/$expand", (string? url, string? valueSetVersion, PublishedArtifacts artifacts, ValueSetExpander expander) =>
            Expand(url is null ? null : artifacts.Find<ValueSet>(valueSetVersion is null ? url : $"{url}|{valueSetVersion}"), url ?? "(no url)", expander))
            .RequireFhirScope("ValueSet", FhirAccess.Read);
        fhir.MapGet("/ValueSet/{id}/$expand", (string id, PublishedArtifacts artifacts, ValueSetExpander expander) =>
            Expand(artifacts.Read("ValueSet", id) as ValueSet, $"ValueSet/{id}", expander))
            .RequireFhirScope("ValueSet", FhirAccess.Read);

        foreach (var type in PublishedArtifacts.PublishedTypes)
        {
            fhir.MapGet($"/{type}", (HttpRequest request, PublishedArtifacts artifacts) => ArtifactSearch.Search(type, request, artifacts))
                .RequireFhirScope(type, FhirAccess.Search);
            fhir.MapGet($"/{type}/{{id}}", (string id, PublishedArtifacts artifacts) => ArtifactSearch.Read(type, id, artifacts))
                .RequireFhirScope(type, FhirAccess.Read);
        }

        return endpoints;
    }

    private static FhirResourceResult Expand(ValueSet? valueSet, string name, ValueSetExpander expander)
    {
        if (valueSet is null)
        {
            throw new DtrRequestException(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, $"{name} is not a value set this payer publishes.");
        }

        return new FhirResourceResult(expander.Expand(valueSet)
            ?? throw new DtrRequestException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.TooCostly, $"{name} cannot be expanded here."));
    }

    /// <summary>
    /// DTR: clients report problems they met with our questionnaires. Only the count is logged: the
    /// errors may quote answers or patient data.
    /// </summary>
    private static async Task<FhirResourceResult> LogQuestionnaireErrorsAsync(HttpRequest request, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var input = await FhirRequestReader.ReadAsync(request, cancellationToken);
        var errors = input switch
        {
            Parameters parameters => parameters.Parameter.Where(p => p.Name == "errors").Select(p => p.Resource).OfType<OperationOutcome>().Sum(o => o.Issue.Count),
            OperationOutcome outcome => outcome.Issue.Count,
            _ => throw new Fhir.FhirInputException($"$log-questionnaire-errors takes Parameters with an 'errors' OperationOutcome, not {input.TypeName}."),
        };
        DtrLog.QuestionnaireErrorsReported(loggers.CreateLogger(typeof(DtrEndpoints)), errors);
        return new FhirResourceResult(Fhir.OperationOutcomes.Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"{errors} error(s) received. Thank you."));
    }
}
