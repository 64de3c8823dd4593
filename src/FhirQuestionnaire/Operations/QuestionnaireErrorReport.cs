using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// What a DTR client sends to $log-questionnaire-errors. DTR 2.0.1 defines it on Questionnaire
/// (type level): Parameters with <c>questionnaire</c> (the canonical of the form that failed) and
/// <c>operationOutcome</c> (what went wrong). Before that form was served, this server took it on
/// QuestionnaireResponse with an <c>errors</c> parameter (or one OperationOutcome on its own); that
/// form stays as a deprecated alias, read by <see cref="ReadDeprecated"/>.
/// Each outcome becomes a stored record, so a report is held to what one client meets in one form:
/// without a bound, one 2 MB body of empty outcomes would be tens of thousands of rows for the price
/// of one request.
/// </summary>
internal static class QuestionnaireErrorReport
{
    /// <summary>Outcomes in one report (DTR sends one per form; a few forms fail together at most).</summary>
    public const int MaxOutcomes = 10;

    /// <summary>Issues across the report's outcomes.</summary>
    public const int MaxIssues = 200;

    /// <summary>Where a stored outcome keeps the canonical of the questionnaire it was reported against.</summary>
    public const string QuestionnaireExtensionUrl = "https://spinepolicy.example.org/fhir/StructureDefinition/reported-questionnaire";

    public const string QuestionnaireParameter = "questionnaire";
    public const string OutcomeParameter = "operationOutcome";
    private const string DeprecatedOutcomeParameter = "errors";

    // The OperationDefinition of DTR 2.0.1 spells its parameters "Questionnaire" and
    // "OperationOutcome"; its input profile and example spell them as above. Either is read.
    private static readonly string[] QuestionnaireNames = [QuestionnaireParameter, "Questionnaire"];
    private static readonly string[] OutcomeNames = [OutcomeParameter, "OperationOutcome"];
    private static readonly string[] KnownNames = [.. QuestionnaireNames, .. OutcomeNames];
    private static readonly string[] DeprecatedKnownNames = [DeprecatedOutcomeParameter, .. QuestionnaireNames];

    /// <summary>
    /// The DTR form: exactly one <c>questionnaire</c> canonical and one or more <c>operationOutcome</c>
    /// resources (the OperationDefinition says one; its input profile allows more, held to
    /// <see cref="MaxOutcomes"/>). The outcomes come back without their ids (the store assigns ours),
    /// each carrying the questionnaire's canonical; 400 naming the parameter, or 422, for anything else.
    /// </summary>
    public static IReadOnlyList<OperationOutcome> Read(Resource input)
    {
        if (input is not Parameters parameters)
        {
            throw FhirHttpException.BadRequest($"$log-questionnaire-errors takes Parameters with '{QuestionnaireParameter}' (canonical) and '{OutcomeParameter}' (OperationOutcome), not {input.TypeName}.");
        }

        if (!parameters.Parameter.Any(p => OutcomeNames.Contains(p.Name, StringComparer.Ordinal)) && parameters.Parameter.Any(p => p.Name == DeprecatedOutcomeParameter))
        {
            throw FhirHttpException.Required($"$log-questionnaire-errors needs an '{OutcomeParameter}' parameter holding an OperationOutcome. ('{DeprecatedOutcomeParameter}' is the deprecated name read only at QuestionnaireResponse/$log-questionnaire-errors.)",
                $"Parameters.parameter.where(name='{OutcomeParameter}')");
        }

        OperationParameters.Check(parameters, "Questionnaire/$log-questionnaire-errors", KnownNames);
        var questionnaire = QuestionnaireOf(parameters);
        var outcomes = new List<OperationOutcome>();
        foreach (var parameter in parameters.Parameter.Where(p => OutcomeNames.Contains(p.Name, StringComparer.Ordinal)))
        {
            outcomes.Add(parameter.Resource as OperationOutcome ?? throw FhirHttpException.BadRequest(
                $"'{OutcomeParameter}' holds an OperationOutcome resource, not {parameter.Resource?.TypeName ?? parameter.Value?.TypeName ?? "nothing"}.",
                $"Parameters.parameter.where(name='{parameter.Name}')"));
        }

        if (outcomes.Count == 0)
        {
            throw FhirHttpException.Required($"$log-questionnaire-errors needs an '{OutcomeParameter}' parameter holding an OperationOutcome.",
                $"Parameters.parameter.where(name='{OutcomeParameter}')");
        }

        return Bounded(outcomes).Select(o => Stored(o, questionnaire)).ToList();
    }

    /// <summary>
    /// The deprecated form (QuestionnaireResponse/$log-questionnaire-errors): Parameters whose
    /// <c>errors</c> each hold an OperationOutcome, or one OperationOutcome on its own. A client
    /// moving to the DTR form may already name the questionnaire: it is read as on the DTR path
    /// (optional here); any other name is refused, as on every operation.
    /// </summary>
    public static IReadOnlyList<OperationOutcome> ReadDeprecated(Resource input)
    {
        Canonical? questionnaire = null;
        if (input is Parameters named)
        {
            OperationParameters.Check(named, "QuestionnaireResponse/$log-questionnaire-errors", DeprecatedKnownNames);
            questionnaire = named.Parameter.Any(p => QuestionnaireNames.Contains(p.Name, StringComparer.Ordinal)) ? QuestionnaireOf(named) : null;
        }

        var outcomes = input switch
        {
            Parameters parameters => parameters.Parameter.Where(p => p.Name == DeprecatedOutcomeParameter).Select(p => p.Resource).OfType<OperationOutcome>().ToList(),
            OperationOutcome outcome => [outcome],
            _ => throw FhirHttpException.BadRequest($"$log-questionnaire-errors takes Parameters with an 'errors' OperationOutcome, not {input.TypeName}."),
        };
        if (outcomes.Count == 0)
        {
            throw FhirHttpException.BadRequest("$log-questionnaire-errors needs an 'errors' parameter holding an OperationOutcome.");
        }

        return Bounded(outcomes).Select(o => Stored(o, questionnaire)).ToList();
    }

    private static Canonical QuestionnaireOf(Parameters parameters)
    {
        var named = parameters.Parameter.Where(p => QuestionnaireNames.Contains(p.Name, StringComparer.Ordinal)).ToList();
        var expression = $"Parameters.parameter.where(name='{QuestionnaireParameter}')";
        if (named.Count == 0)
        {
            throw FhirHttpException.Required($"$log-questionnaire-errors needs a '{QuestionnaireParameter}' parameter: the canonical of the Questionnaire that failed (version-specific, url|version).", expression);
        }

        if (named.Count > 1)
        {
            throw FhirHttpException.BadRequest($"'{QuestionnaireParameter}' occurs {named.Count} times; a report is about one Questionnaire (send one report per form).", expression);
        }

        return named[0].Value is Canonical { Value: { Length: > 0 } } canonical
            ? canonical
            : throw FhirHttpException.BadRequest(
                $"'{QuestionnaireParameter}' is a valueCanonical naming the Questionnaire, not {(named[0].Value is Canonical ? "an empty canonical" : named[0].Value?.TypeName ?? named[0].Resource?.TypeName ?? "nothing")}.",
                expression);
    }

    private static List<OperationOutcome> Bounded(List<OperationOutcome> outcomes)
    {
        if (outcomes.Count > MaxOutcomes || outcomes.Sum(o => o.Issue.Count) > MaxIssues)
        {
            throw FhirHttpException.Unprocessable(
                $"One report holds at most {MaxOutcomes} OperationOutcomes and {MaxIssues} issues in all; send the rest in further reports. Nothing was recorded.",
                issueType: OperationOutcome.IssueType.TooCostly);
        }

        return outcomes;
    }

    private static OperationOutcome Stored(OperationOutcome outcome, Canonical? questionnaire)
    {
        var copy = (OperationOutcome)outcome.DeepCopy();
        copy.Id = null;
        if (questionnaire is not null)
        {
            copy.Extension.RemoveAll(e => e.Url == QuestionnaireExtensionUrl);
            copy.Extension.Add(new Extension(QuestionnaireExtensionUrl, new Canonical(questionnaire.Value)));
        }

        return copy;
    }
}
