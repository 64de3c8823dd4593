using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// What a DTR client sends to $log-questionnaire-errors: Parameters whose <c>errors</c> each hold
/// an OperationOutcome (or one OperationOutcome on its own). Each outcome becomes a stored record,
/// so a report is held to what one client meets in one form: without a bound, one 2 MB body of
/// empty outcomes would be tens of thousands of rows for the price of one request.
/// </summary>
internal static class QuestionnaireErrorReport
{
    /// <summary>Outcomes in one report (DTR sends one per form; a few forms fail together at most).</summary>
    public const int MaxOutcomes = 10;

    /// <summary>Issues across the report's outcomes.</summary>
    public const int MaxIssues = 200;

    /// <summary>The reported outcomes, without their ids (the store assigns ours); 400 or 422 for anything else.</summary>
    public static IReadOnlyList<OperationOutcome> Read(Resource input)
    {
        var outcomes = input switch
        {
            Parameters parameters => parameters.Parameter.Where(p => p.Name == "errors").Select(p => p.Resource).OfType<OperationOutcome>().ToList(),
            OperationOutcome outcome => [outcome],
            _ => throw FhirHttpException.BadRequest($"$log-questionnaire-errors takes Parameters with an 'errors' OperationOutcome, not {input.TypeName}."),
        };
        if (outcomes.Count == 0)
        {
            throw FhirHttpException.BadRequest("$log-questionnaire-errors needs an 'errors' parameter holding an OperationOutcome.");
        }

        if (outcomes.Count > MaxOutcomes || outcomes.Sum(o => o.Issue.Count) > MaxIssues)
        {
            throw FhirHttpException.Unprocessable(
                $"One report holds at most {MaxOutcomes} OperationOutcomes and {MaxIssues} issues in all; send the rest in further reports. Nothing was recorded.",
                issueType: OperationOutcome.IssueType.TooCostly);
        }

        return outcomes.Select(WithoutId).ToList();
    }

    private static OperationOutcome WithoutId(OperationOutcome outcome)
    {
        var copy = (OperationOutcome)outcome.DeepCopy();
        copy.Id = null;
        return copy;
    }
}
