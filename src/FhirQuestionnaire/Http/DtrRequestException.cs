using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Http;

/// <summary>
/// A request the DTR operations cannot serve, with the HTTP status and the OperationOutcome issues
/// to return. Thrown by the operation services; turned into a response in one place
/// (<see cref="DtrErrorFilter"/>).
/// </summary>
public sealed class DtrRequestException : Exception
{
    public DtrRequestException(int statusCode, OperationOutcome.IssueType issueType, string message)
        : this(statusCode, [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = issueType, Diagnostics = message }])
    {
    }

    public DtrRequestException(int statusCode, IReadOnlyList<OperationOutcome.IssueComponent> issues)
        : base(string.Join(" ", issues.Select(i => i.Diagnostics)))
    {
        StatusCode = statusCode;
        Issues = issues;
    }

    public DtrRequestException() : this(400, OperationOutcome.IssueType.Invalid, "The request is invalid.") { }

    public DtrRequestException(string message) : this(400, OperationOutcome.IssueType.Invalid, message) { }

    public DtrRequestException(string message, Exception innerException) : base(message, innerException)
    {
        StatusCode = 400;
        Issues = [new OperationOutcome.IssueComponent { Severity = OperationOutcome.IssueSeverity.Error, Code = OperationOutcome.IssueType.Invalid, Diagnostics = message }];
    }

    public int StatusCode { get; }

    public IReadOnlyList<OperationOutcome.IssueComponent> Issues { get; }
}
