using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.PriorAuthorization.Response;
using SpinePolicy.PriorAuthorization.Submission;

namespace SpinePolicy.PriorAuthorization.Decision;

/// <summary>
/// Decides every line of a claim through the <see cref="NecessityEngine"/>, with all lines in view
/// (add-on pairing P2 and concurrency P8 look across them). This class only translates the engine's
/// outcome into an X12 action; it decides nothing itself.
/// </summary>
internal sealed class ClaimDecider(NecessityEngine engine, MemberCoverageReader coverageReader)
{
    /// <summary>The product line used when the Coverage names none we know: the engine pends on it.</summary>
    public const string UnknownProductLine = "unknown";

    /// <param name="history">The member's other requests this payer holds (P7.16, P8).</param>
    public IReadOnlyList<LineDecision> Decide(PasSubmission submission, MemberHistory history)
    {
        var productLine = coverageReader.ReadProductLine(submission.Coverage);
        if (productLine.Status == ProductLineStatus.ForeignPayer)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, Hl7.Fhir.Model.OperationOutcome.IssueType.BusinessRule, $"{productLine.Problem} This payer decides prior authorization for its own members only.", "Coverage.payor");
        }

        // No product line named: the engine pends, saying the Coverage names none (UnknownProductLine is the metrics' label).
        var line = productLine.ProductLine ?? string.Empty;
        var age = submission.Age;
        // Held against each line's date of service by the engine (the same reading CRD and DTR use).
        var term = CoverageFields.Of(submission.Coverage).Term;
        var orders = submission.Lines.Where(l => !l.Cancelled).Select(l => l.Service).ToList();
        var decisions = new List<LineDecision>(submission.Lines.Count);
        foreach (var claimLine in submission.Lines)
        {
            if (claimLine.Cancelled)
            {
                decisions.Add(new LineDecision(claimLine, ReviewAction.Cancelled, null));
                continue;
            }

            var order = claimLine.Service;
            var family = engine.Policy.FamilyOf(order.CptCode);
            var answers = family is not null && submission.AnswersByFamily.TryGetValue(family.Code, out var a)
                ? a
                : new Dictionary<string, CriterionAnswer>();
            var determination = engine.Evaluate(new NecessityRequest(line, age, order, orders, answers, history, term));
            decisions.Add(new LineDecision(claimLine, ActionFor(determination), determination));
        }

        return decisions;
    }

    private static ReviewAction ActionFor(Determination determination) => determination.Outcome switch
    {
        DeterminationOutcome.Approved => ReviewAction.Certified,
        DeterminationOutcome.Denied or DeterminationOutcome.NotPayable => ReviewAction.NotCertified,
        DeterminationOutcome.NoAuthorizationRequired => ReviewAction.NoActionRequired,
        DeterminationOutcome.Rejected => throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, Hl7.Fhir.Model.OperationOutcome.IssueType.BusinessRule, "The QuestionnaireResponse contradicts its questionnaire: " + string.Join(" ", determination.Reasons.Select(r => r.Message)), "QuestionnaireResponse.item"),
        _ => ReviewAction.Pended,
    };
}
