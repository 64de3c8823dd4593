using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.PriorAuthorization.Review;

/// <summary>
/// What one $review call asks: decisions on pended items, an extension of the decision timeframe,
/// or both (an extension and the decisions it made time for cannot be sent at once sensibly, but
/// nothing forbids it).
/// </summary>
public sealed record ReviewRequest(IReadOnlyList<ReviewDecision> Decisions, ExtensionRequest? Extension)
{
    /// <summary>
    /// The ClaimResponse version the reviewer decided on (the request's If-Match), when given: a
    /// decision made on a version someone has since changed is refused with 412, never recorded.
    /// </summary>
    public int? IfMatchVersion { get; init; }

    /// <summary>
    /// Reads the $review Parameters: "item" parameters (see <see cref="ReviewDecision.Read"/>) and at
    /// most one "extendTimeframe" parameter with parts "days" (positive integer) and "reason"
    /// (string: why the plan needs more time, e.g. information requested from the provider).
    /// </summary>
    public static ReviewRequest Read(Parameters parameters)
    {
        OperationParameters.Check(parameters, "ClaimResponse/$review", ["item", "extendTimeframe"]);
        var decisions = ReviewDecision.ReadItems(parameters);
        var extensions = parameters.Parameter.Where(p => p.Name == "extendTimeframe").ToList();
        if (extensions.Count > 1)
        {
            throw FhirHttpException.BadRequest("Send at most one \"extendTimeframe\" parameter.", "Parameters.parameter");
        }

        var extension = extensions.Count == 1 ? ReadExtension(extensions[0]) : null;
        if (decisions.Count == 0 && extension is null)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The review names no item and no extension; send one \"item\" parameter per decided item, or an \"extendTimeframe\" parameter.", "Parameters.parameter");
        }

        return new ReviewRequest(decisions, extension);
    }

    private static ExtensionRequest ReadExtension(Parameters.ParameterComponent parameter)
    {
        var days = parameter.Part.FirstOrDefault(p => p.Name == "days")?.Value switch
        {
            Integer { Value: > 0 and var i } => i,
            PositiveInt { Value: > 0 and var p } => p,
            _ => throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "\"extendTimeframe\" needs \"days\": a positive integer, the number of calendar days the decision timeframe is extended by.", "Parameters.parameter.part"),
        };
        var reason = (parameter.Part.FirstOrDefault(p => p.Name == "reason")?.Value as FhirString)?.Value;
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "\"extendTimeframe\" needs a \"reason\" in words: an extension is recorded with why it was taken.", "Parameters.parameter.part");
        }

        return new ExtensionRequest(days, reason.Trim());
    }
}
