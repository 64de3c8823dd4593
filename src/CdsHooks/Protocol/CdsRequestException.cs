using Hl7.Fhir.Model;

namespace SpinePolicy.CdsHooks.Protocol;

/// <summary>
/// A request the service cannot answer, with the HTTP status and the sentence the caller sees.
/// Thrown only inside this slice and turned into a <see cref="CdsError"/> by the endpoint (with
/// <see cref="Outcome"/>, or an OperationOutcome made from the message when it has none).
/// </summary>
internal sealed class CdsRequestException : Exception
{
    public CdsRequestException(int statusCode, string error, string message, OperationOutcome? outcome = null) : base(message)
    {
        StatusCode = statusCode;
        Error = error;
        Outcome = outcome;
    }

    public CdsRequestException() : this(400, "bad-request", "The request is not a valid CDS Hooks request.") { }

    public CdsRequestException(string message) : this(400, "bad-request", message) { }

    public CdsRequestException(string message, Exception innerException) : base(message, innerException)
    {
        StatusCode = 400;
        Error = "bad-request";
    }

    public int StatusCode { get; }

    public string Error { get; }

    public OperationOutcome? Outcome { get; }

    /// <summary>The body is not JSON at all (or is empty): the one case CDS Hooks answers with 400.</summary>
    public static CdsRequestException Unparsable(string error, string message) =>
        new(400, error, message, SpinePolicy.Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Structure, message));

    /// <summary>
    /// Valid JSON that breaks a CDS Hooks rule (a missing hookInstance, the wrong hook, a missing
    /// context field): 422 with an OperationOutcome, as CRD asks of a request it can read but not accept.
    /// </summary>
    public static CdsRequestException Invalid(string error, string message, string? expression = null) =>
        new(422, error, message, SpinePolicy.Fhir.OperationOutcomes.Error(OperationOutcome.IssueType.Invalid, message, expression));

    /// <summary>A FHIR resource the answer depends on breaks a FHIR rule: 422 with an OperationOutcome.</summary>
    public static CdsRequestException BadFhir(string error, string message, string? expression = null) => Invalid(error, message, expression);
}
