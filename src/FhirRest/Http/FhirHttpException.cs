using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.Http;

/// <summary>
/// A request the FHIR edge refuses, with the status and issue type to report. Thrown from deep
/// inside request parsing and turned into an OperationOutcome by <see cref="FhirErrorFilter"/>.
/// </summary>
public sealed class FhirHttpException : Exception
{
    public FhirHttpException(int statusCode, OperationOutcome.IssueType issueType, string message) : base(message)
    {
        StatusCode = statusCode;
        IssueType = issueType;
    }

    public FhirHttpException() : this(400, OperationOutcome.IssueType.Invalid, "The request is invalid.") { }

    public FhirHttpException(string message) : this(400, OperationOutcome.IssueType.Invalid, message) { }

    public FhirHttpException(string message, Exception innerException) : base(message, innerException)
    {
        StatusCode = 400;
        IssueType = OperationOutcome.IssueType.Invalid;
    }

    public int StatusCode { get; }

    public OperationOutcome.IssueType IssueType { get; }

    public static FhirHttpException BadRequest(string message) => new(400, OperationOutcome.IssueType.Invalid, message);

    public static FhirHttpException NotFound(string message) => new(404, OperationOutcome.IssueType.NotFound, message);

    public static FhirHttpException NotSupported(int status, string message) => new(status, OperationOutcome.IssueType.NotSupported, message);

    public static FhirHttpException Forbidden(string message) => new(403, OperationOutcome.IssueType.Forbidden, message);

    public static FhirHttpException Unprocessable(string message) => new(422, OperationOutcome.IssueType.Processing, message);
}
