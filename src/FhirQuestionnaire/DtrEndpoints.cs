using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using SpinePolicy.Fhir.Http;
using SpinePolicy.Fhir.Security;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.FhirQuestionnaire.Evaluation;
using SpinePolicy.FhirQuestionnaire.Operations;
using SpinePolicy.PolicyEngine;
using SpinePolicy.Storage;
using SpinePolicy.Storage.Auditing;

namespace SpinePolicy.FhirQuestionnaire;

/// <summary>Registers and maps this slice. Program.cs reads as a list of these.</summary>
public static class DtrEndpoints
{
    private static readonly ServedOperation QuestionnairePackage = new("questionnaire-package",
        "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/questionnaire-package", "DTR: the questionnaire package for an order.");

    private static readonly ServedOperation NextQuestion = new("next-question",
        "http://hl7.org/fhir/uv/sdc/OperationDefinition/Questionnaire-next-question", "DTR adaptive questionnaire.");

    private static readonly ServedOperation ExpandOperation = new("expand",
        "http://hl7.org/fhir/OperationDefinition/ValueSet-expand", "Expansion of the value sets the questionnaires use.");

    private static readonly ServedOperation LogQuestionnaireErrors = new("log-questionnaire-errors",
        "http://hl7.org/fhir/us/davinci-dtr/OperationDefinition/log-questionnaire-errors", "DTR clients report problems with our questionnaires.");

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
        services.AddSingleton<PackageDependencies>();
        services.AddSingleton<CaseFactsReader>();
        services.AddSingleton<PackageFactsReader>();
        services.AddSingleton<QuestionnaireResponseEvaluator>();
        services.AddSingleton<DraftResponseBuilder>();
        services.AddSingleton<PriorTreatmentFinder>();
        services.AddSingleton<ReferencedRecordReader>();
        services.AddScoped<QuestionnairePackageService>();
        services.AddScoped<NextQuestionService>();
        AddCapabilities(services);
        return services;
    }

    /// <summary>What this slice serves on /fhir, for the CapabilityStatement (and the searches it checks).</summary>
    private static void AddCapabilities(IServiceCollection services)
    {
        services.AddFhirInstantiates("http://hl7.org/fhir/us/davinci-dtr/CapabilityStatement/dtr-payer-service");
        var documentation = new Dictionary<string, string>
        {
            ["Questionnaire"] = "The published questionnaires (DTR); $questionnaire-package selects them for an order.",
            ["Library"] = "The CQL libraries the questionnaires use.",
            ["ValueSet"] = "The value sets the questionnaires use; $expand at type level (GET or POST, by url or inline) and instance level.",
            ["CodeSystem"] = "The code systems we publish, e.g. the policy 097 criteria.",
        };
        foreach (var type in PublishedArtifacts.PublishedTypes)
        {
            services.AddFhirResourceType(new ServedResourceType(type, ServedRoutes.Own,
                [CapabilityStatement.TypeRestfulInteraction.Read, CapabilityStatement.TypeRestfulInteraction.SearchType],
                [
                    ServedSearchParameter.Id,
                    ServedSearchParameter.Core("url", SearchParamType.Uri, "conformance-url", "The canonical URL; url|version selects one version (as a CRD card names a questionnaire)."),
                    ServedSearchParameter.Core("version", SearchParamType.Token, "conformance-version", "The business version."),
                    ServedSearchParameter.Core("name", SearchParamType.String, "conformance-name", "Starts with (case-insensitive)."),
                    ServedSearchParameter.Core("status", SearchParamType.Token, "conformance-status", "draft, active or retired."),
                ],
                type switch
                {
                    "Questionnaire" => [QuestionnairePackage, NextQuestion, LogQuestionnaireErrors],
                    "ValueSet" => [ExpandOperation],
                    _ => [],
                },
                [], documentation[type] + " Paged with _count; also POST " + type + "/_search."));
        }

        // QuestionnaireResponse/$log-questionnaire-errors, the deprecated alias, is not listed: the
        // OperationDefinition is on Questionnaire, and a client reading metadata should use that.

        // DTR 2.0.1's dtr-payer-service lists these three at system level (rest.operation), while
        // their OperationDefinitions put them on a type: listed at both levels, and served at both
        // (MapDtr maps POST /fhir/$name to the same handler). $log-questionnaire-errors is not in
        // that statement and its OperationDefinition says type level only, so it stays on Questionnaire.
        foreach (var operation in SystemLevelOperations)
        {
            services.AddFhirSystemOperation(operation with { Documentation = operation.Documentation + " Also at type level; the same answer." });
        }
    }

    private static readonly ServedOperation[] SystemLevelOperations = [QuestionnairePackage, NextQuestion, ExpandOperation];

    /// <summary>Maps this slice into the host's /fhir route group.</summary>
    public static RouteGroupBuilder MapDtr(this RouteGroupBuilder fhir)
    {
        // Each at type level (its OperationDefinition) and at system level (DTR's payer statement): one handler.
        foreach (var prefix in new[] { "/Questionnaire", "" })
        {
            fhir.MapPost($"{prefix}/$questionnaire-package", PackageAsync)
                .WithMetadata(ReportsOwnAuditSubjects.Instance)
                .RequireDtrClient();
            fhir.MapPost($"{prefix}/$next-question", async (HttpRequest request, NextQuestionService service, FhirCallers callers, CancellationToken cancellationToken) =>
                FhirResult.Ok(await service.NextAsync(await FhirRequestBody.ReadAsync(request, cancellationToken), callers.Of(request.HttpContext), cancellationToken)))
                .RequireDtrClient();
        }

        // A DTR operation like the two above, so the same callers: a QuestionnaireResponse scope
        // grants nothing here (no client may write QuestionnaireResponses on /fhir), and the
        // payer-hosted DTR app, which holds only the DTR scopes, must be able to report. DTR 2.0.1
        // defines it on Questionnaire; the QuestionnaireResponse path, with its 'errors' parameter,
        // is the deprecated alias clients of earlier releases call, kept with the same rules.
        fhir.MapPost("/Questionnaire/$log-questionnaire-errors", (HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
            LogQuestionnaireErrorsAsync(request, QuestionnaireErrorReport.Read, services, loggers, cancellationToken))
            .RequireDtrClient();
        fhir.MapPost("/QuestionnaireResponse/$log-questionnaire-errors", (HttpRequest request, IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken) =>
            LogQuestionnaireErrorsAsync(request, QuestionnaireErrorReport.ReadDeprecated, services, loggers, cancellationToken))
            .RequireDtrClient();

        foreach (var prefix in new[] { "/ValueSet", "" })
        {
            fhir.MapGet($"{prefix}/$expand", (HttpRequest request, PublishedArtifacts artifacts, ValueSetExpander expander) =>
                Expand(ExpandRequest.FromQuery(request.Query), artifacts, expander))
                .RequireFhirScope("ValueSet", FhirAccess.Read);
            fhir.MapPost($"{prefix}/$expand", async (HttpRequest request, PublishedArtifacts artifacts, ValueSetExpander expander, CancellationToken cancellationToken) =>
                Expand(ExpandRequest.FromParameters(await FhirRequestBody.ReadAsync<Parameters>(request, cancellationToken)), artifacts, expander))
                .RequireFhirScope("ValueSet", FhirAccess.Read);
        }
        fhir.MapGet("/ValueSet/{id}/$expand", (string id, HttpRequest request, PublishedArtifacts artifacts, ValueSetExpander expander) =>
            ExpandInstance(id, request.Query, artifacts, expander))
            .RequireFhirScope("ValueSet", FhirAccess.Read);

        foreach (var type in PublishedArtifacts.PublishedTypes)
        {
            fhir.MapFhirSearch($"/{type}", (HttpContext context, PublishedArtifacts artifacts, FhirCapabilities capabilities, CancellationToken cancellationToken) =>
                    ArtifactSearch.SearchAsync(type, context, artifacts, capabilities, cancellationToken))
                .RequireFhirScope(type, FhirAccess.Search);
            fhir.MapGet($"/{type}/{{id}}", (string id, PublishedArtifacts artifacts) => ArtifactSearch.Read(type, id, artifacts))
                .RequireFhirScope(type, FhirAccess.Read);
        }

        return fhir;
    }

    private static async Task<FhirResult> PackageAsync(HttpRequest request, QuestionnairePackageService service, FhirCallers callers, CancellationToken cancellationToken)
    {
        using var body = await FhirRequestBody.ReadContentAsync(request, cancellationToken);
        return FhirResult.Ok(await service.PackageAsync(body, request.HttpContext.Features.Get<AuditSubjects>(), callers.Of(request.HttpContext), cancellationToken));
    }

    /// <summary>
    /// Who may use the DTR operations, decided in one place: a token granting Questionnaire read (a
    /// system scope, or a user scope of a signed-in user whose token names the organization). Any
    /// such caller may run them; what a caller's binding adds (pre-fill, storing a decided
    /// response) the services decide. A refusal is the scope handler's 403 for all of them alike.
    /// </summary>
    private static RouteHandlerBuilder RequireDtrClient(this RouteHandlerBuilder builder) =>
        builder.RequireFhirScope("Questionnaire", FhirAccess.Read);

    private static FhirResult Expand(ExpandRequest request, PublishedArtifacts artifacts, ValueSetExpander expander)
    {
        if (request.ValueSet is { } inline)
        {
            return Expand(inline, "The inline valueSet", expander);
        }

        var canonical = request.Canonical!;
        var found = artifacts.FindExact<ValueSet>(canonical);
        var bar = canonical.IndexOf('|', StringComparison.Ordinal);

        // A version we do not publish is never answered with another one: say which ones we do.
        if (found is null && bar >= 0 && artifacts.FindExact<ValueSet>(canonical[..bar]) is not null)
        {
            var published = artifacts.OfType("ValueSet").OfType<ValueSet>().Where(v => v.Url == canonical[..bar]).Select(v => v.Version);
            throw FhirHttpException.NotFound($"{canonical}: version {canonical[(bar + 1)..]} of this value set is not published; published: {string.Join(", ", published)}.");
        }

        return Expand(found, canonical, expander);
    }

    private static FhirResult ExpandInstance(string id, IQueryCollection query, PublishedArtifacts artifacts, ValueSetExpander expander)
    {
        var valueSet = artifacts.Read("ValueSet", id) as ValueSet;
        if (valueSet is not null)
        {
            ExpandRequest.CheckInstanceQuery(query, valueSet, $"ValueSet/{id}");
        }

        return Expand(valueSet, $"ValueSet/{id}", expander);
    }

    private static FhirResult Expand(ValueSet? valueSet, string name, ValueSetExpander expander)
    {
        if (valueSet is null)
        {
            throw FhirHttpException.NotFound($"{name} is not a value set this payer publishes.");
        }

        return FhirResult.Ok(expander.Expand(valueSet)
            ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.TooCostly, $"{name} cannot be expanded here: it draws on code systems this payer does not publish."));
    }

    /// <summary>
    /// DTR: a client's report of problems with our questionnaires (failed CQL, bad expressions) is
    /// recorded, each OperationOutcome as it came, for the payer to read and fix the artefacts. Only
    /// the count is logged: the errors may quote answers or patient data. <paramref name="read"/> is
    /// the form of the path called (DTR's, or the deprecated alias).
    /// </summary>
    private static async Task<FhirResult> LogQuestionnaireErrorsAsync(HttpRequest request, Func<Resource, IReadOnlyList<OperationOutcome>> read,
        IServiceProvider services, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        var outcomes = read(await FhirRequestBody.ReadAsync(request, cancellationToken));
        var store = services.GetService<IResourceStore>()
            ?? throw new FhirHttpException(StatusCodes.Status503ServiceUnavailable, OperationOutcome.IssueType.Transient, "Questionnaire errors cannot be recorded: no store is configured.");
        var stored = await store.SaveAsync(outcomes.Select(o => new ResourceWrite(o)).ToList(), cancellationToken);

        var errors = outcomes.Sum(o => o.Issue.Count);
        DtrLog.QuestionnaireErrorsReported(loggers.CreateLogger(typeof(DtrEndpoints)), errors);
        var recorded = string.Join(", ", stored.Select(s => $"OperationOutcome/{s.Id}"));
        return FhirResult.Ok(Fhir.OperationOutcomes.Issue(OperationOutcome.IssueSeverity.Information, OperationOutcome.IssueType.Informational, $"{errors} error(s) recorded ({recorded}); thank you."));
    }
}
