using Microsoft.Extensions.Logging;

namespace SpinePolicy.FhirQuestionnaire;

/// <summary>DTR log events: ids, counts and outcomes only, never answers or patient data.</summary>
internal static partial class DtrLog
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "DTR artefacts loaded: {Count} resources from {Directory}")]
    public static partial void ArtifactsLoaded(ILogger logger, int count, string directory);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Questionnaire package served: {BundleCount} bundle(s), {IssueCount} issue(s)")]
    public static partial void PackageServed(ILogger logger, int bundleCount, int issueCount);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Information, Message = "Adaptive form step for {QuestionnaireId}: status {Status}, outcome {Outcome}")]
    public static partial void NextQuestion(ILogger logger, string? questionnaireId, Hl7.Fhir.Model.QuestionnaireResponse.QuestionnaireResponseStatus? status, SpinePolicy.PolicyEngine.Necessity.DeterminationOutcome outcome);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Warning, Message = "DTR client reported {ErrorCount} questionnaire error(s)")]
    public static partial void QuestionnaireErrorsReported(ILogger logger, int errorCount);
}
