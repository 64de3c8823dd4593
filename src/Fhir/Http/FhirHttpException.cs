using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;

namespace SpinePolicy.Fhir.Http;

/// <summary>
/// THE exception for a request the server refuses: the HTTP status and the OperationOutcome issues
/// that say why. Any slice (FHIR or CDS Hooks) throws it from wherever it finds the problem; the
/// host's one error mapper answers with an OperationOutcome under /fhir (in the negotiated format)
/// and with a CDS Hooks error object (carrying the same OperationOutcome) under /cds-services.
/// </summary>
public sealed class FhirHttpException : Exception
{
    public FhirHttpException(int statusCode, IReadOnlyList<OperationOutcome.IssueComponent> issues, string? code = null, Exception? innerException = null)
        : base(string.Join(" ", issues.Select(i => i.Diagnostics)), innerException)
    {
        if (statusCode is < 400 or > 599)
        {
            throw new ArgumentOutOfRangeException(nameof(statusCode), statusCode, "A refusal is a 4xx or 5xx.");
        }

        StatusCode = statusCode;
        Issues = issues;
        Code = code;
    }

    public FhirHttpException(int statusCode, OperationOutcome.IssueType issueType, string message, string? expression = null, string? code = null, Exception? innerException = null)
        : this(statusCode, [Issue(issueType, message, expression)], code, innerException)
    {
    }

    public FhirHttpException() : this(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, "The request is invalid.") { }

    public FhirHttpException(string message) : this(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message) { }

    public FhirHttpException(string message, Exception innerException)
        : this(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message, innerException: innerException)
    {
    }

    public int StatusCode { get; }

    public IReadOnlyList<OperationOutcome.IssueComponent> Issues { get; }

    /// <summary>The FHIRPath of the element at fault in the first issue, when there is one (e.g. "ServiceRequest.quantity").</summary>
    public string? Expression => Issues.Count > 0 ? Issues[0].Expression.FirstOrDefault() : null;

    /// <summary>
    /// A short stable code for CDS Hooks error objects (e.g. <c>wrong-hook</c>); null means the
    /// code the status implies.
    /// </summary>
    public string? Code { get; }

    /// <summary>The issues as an OperationOutcome (copies: the exception's own stay unchanged).</summary>
    public OperationOutcome ToOperationOutcome() => new() { Issue = [.. Issues.Select(i => (OperationOutcome.IssueComponent)i.DeepCopy())] };

    /// <summary>400: the request is malformed (a parameter, a header, an element).</summary>
    public static FhirHttpException BadRequest(string message, string? expression = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, message, expression, code);

    /// <summary>400: the body cannot be read as FHIR at all (syntax, encoding, structure).</summary>
    public static FhirHttpException Structure(string message, Exception? innerException = null) =>
        new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, message, innerException: innerException);

    /// <summary>400: a required element or parameter is missing.</summary>
    public static FhirHttpException Required(string message, string? expression = null, string? code = null) =>
        new(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, message, expression, code);

    /// <summary>403: the caller may not do this (for this organization, on this record).</summary>
    public static FhirHttpException Forbidden(string message, string? expression = null) =>
        new(StatusCodes.Status403Forbidden, OperationOutcome.IssueType.Forbidden, message, expression);

    public static FhirHttpException NotFound(string message, string? expression = null) =>
        new(StatusCodes.Status404NotFound, OperationOutcome.IssueType.NotFound, message, expression);

    /// <summary>404/405/406/415 and friends: something this server does not offer.</summary>
    public static FhirHttpException NotSupported(int statusCode, string message, string? code = null) =>
        new(statusCode, OperationOutcome.IssueType.NotSupported, message, code: code);

    /// <summary>422: understood, but breaks a rule of FHIR, an IG or this payer, so it cannot be processed.</summary>
    public static FhirHttpException Unprocessable(string message, string? expression = null, OperationOutcome.IssueType issueType = OperationOutcome.IssueType.Processing, string? code = null) =>
        new(StatusCodes.Status422UnprocessableEntity, issueType, message, expression, code);

    private static OperationOutcome.IssueComponent Issue(OperationOutcome.IssueType issueType, string message, string? expression)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = OperationOutcome.IssueSeverity.Error,
            Code = issueType,
            Diagnostics = message,
        };
        if (!string.IsNullOrEmpty(expression))
        {
            issue.Expression = [expression];
        }

        return issue;
    }
}
