using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// QuestionnaireResponse (+ the member and order facts it carries) → the policy's decision. Answers
/// are read by item code; the engine recomputes askedWhen/enableWhen (an answer to a disabled item
/// is rejected) and treats an unanswered required item as information missing, never as "no".
/// </summary>
internal sealed class QuestionnaireResponseEvaluator(
    Policy policy,
    IQuestionnaireCatalog catalog,
    QuestionnaireAnswerReader answerReader,
    CaseFactsReader factsReader,
    NecessityEngine engine)
{
    /// <summary>The current policy version (which rules a family has).</summary>
    public Policy Policy => policy;

    /// <param name="history">The member's other requests this payer holds (P7.16, P8), as CRD and PAS weigh them; null when not read.</param>
    public ResponseEvaluation Evaluate(QuestionnaireResponse response, MemberHistory? history = null)
    {
        var canonical = ResponseQuestionnaire.CanonicalOf(response)
            ?? throw FhirHttpException.BadRequest("QuestionnaireResponse.questionnaire is missing (a canonical, or a reference to a contained adaptive Questionnaire).");
        var questionnaire = catalog.Find(canonical)
            ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"Questionnaire '{canonical}' is not one this payer publishes.");
        if (AdaptiveQuestionnaires.StandardCanonicalOf(questionnaire) is { } standard)
        {
            // An adaptive form asks the questions of the standard questionnaire it derives from.
            questionnaire = catalog.Find(standard)
                ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, $"Questionnaire '{canonical}' derives from '{standard}', which this payer does not publish.");
        }

        var family = policy.FindFamilyByQuestionnaire(questionnaire.Url ?? string.Empty)
            ?? throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotSupported, $"Questionnaire '{canonical}' belongs to no service family of policy {policy.Document.PolicyNumber}.");

        // The reader resolves items against the published questionnaire; an adaptive response
        // references its contained copy, so read a view of it that names the published one.
        var view = (QuestionnaireResponse)response.DeepCopy();
        view.Questionnaire = $"{questionnaire.Url}|{questionnaire.Version}";
        var answers = answerReader.Read(view);
        if (answers.Problems.Count > 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, answers.Problems.Select(p => Issue(p, null)).ToList());
        }

        var facts = factsReader.Read(response, family, ResponseQuestionnaire.Flatten(response.Item).ToList());
        // Without the member's plan or an order of this family, decide on the criteria only
        // rather than for an invented plan or code.
        var determination = facts.CriteriaOnly
            ? engine.Evaluate(new CriteriaRequest(family.Code, facts.Age, facts.DateOfService, answers.Answers))
            : engine.Evaluate(new NecessityRequest(facts.ProductLine!, facts.Age, facts.Order!, facts.AllOrders, answers.Answers, history, facts.Term));
        if (determination.Outcome == DeterminationOutcome.Rejected)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, determination.Reasons.Select(r => Issue($"{r.Clause}: {r.Message}", r.CriterionCode)).ToList());
        }

        return new ResponseEvaluation(questionnaire, family, answers, facts, determination);
    }

    private static OperationOutcome.IssueComponent Issue(string message, string? linkId)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = OperationOutcome.IssueType.Invalid,
            Diagnostics = message,
        };
        if (linkId is not null)
        {
            issue.Expression = [$"QuestionnaireResponse.item.where(linkId = '{linkId}')"];
        }

        return issue;
    }
}
