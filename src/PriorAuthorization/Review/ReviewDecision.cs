using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>A reviewer's decision on one pended item: certify (A1) or not (A3), with the reason in words.</summary>
public sealed record ReviewDecision(int Sequence, ReviewAction Action, string? Note, string? ReasonCode)
{
    /// <summary>
    /// Reads the $review Parameters: one "item" parameter per decided item with parts
    /// "sequence" (integer), "action" (code A1 | A3), "note" (string; required for A3) and
    /// optionally "reasonCode" (an X12 886 code; default 0F Not Medically Necessary for A3).
    /// </summary>
    public static IReadOnlyList<ReviewDecision> Read(Parameters parameters)
    {
        var decisions = ReadItems(parameters);
        if (decisions.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The review names no item; send one \"item\" parameter per decided item.", "Parameters.parameter");
        }

        return decisions;
    }

    /// <summary>The "item" parameters, however many (none is for the caller to judge).</summary>
    public static IReadOnlyList<ReviewDecision> ReadItems(Parameters parameters)
    {
        var decisions = new List<ReviewDecision>();
        foreach (var item in parameters.Parameter.Where(p => p.Name == "item"))
        {
            var sequence = item.Part.FirstOrDefault(p => p.Name == "sequence")?.Value switch
            {
                Integer { Value: { } i } => i,
                PositiveInt { Value: { } p } => p,
                _ => throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Each review \"item\" needs a \"sequence\" (integer) naming the ClaimResponse item.", "Parameters.parameter.part"),
            };
            var code = (item.Part.FirstOrDefault(p => p.Name == "action")?.Value as Code)?.Value;
            var action = ReviewActions.FromX12(code);
            if (action is not (ReviewAction.Certified or ReviewAction.NotCertified))
            {
                throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value, $"Review item {sequence}: \"action\" must be A1 (certified) or A3 (not certified), not '{code}'.", "Parameters.parameter.part");
            }

            var note = (item.Part.FirstOrDefault(p => p.Name == "note")?.Value as FhirString)?.Value;
            if (action == ReviewAction.NotCertified && string.IsNullOrWhiteSpace(note))
            {
                throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, $"Review item {sequence}: a decision not to certify needs a \"note\" giving the reason in words.", "Parameters.parameter.part");
            }

            var reason = (item.Part.FirstOrDefault(p => p.Name == "reasonCode")?.Value as Code)?.Value;
            if (reason is not null && (action != ReviewAction.NotCertified || ReviewReasons.DenialDisplay(reason) is null))
            {
                throw new FhirHttpException(
                    StatusCodes.Status400BadRequest,
                    OperationOutcome.IssueType.Value,
                    action == ReviewAction.NotCertified
                        ? $"Review item {sequence}: \"reasonCode\" '{reason}' is not a denial reason; use one of {string.Join(", ", ReviewReasons.Denials.Select(d => d.Code))} (X12 886)."
                        : $"Review item {sequence}: a \"reasonCode\" goes with A3 (not certified) only.",
                    "Parameters.parameter.part");
            }

            decisions.Add(new ReviewDecision(sequence, action.Value, note, reason));
        }

        return decisions;
    }
}
