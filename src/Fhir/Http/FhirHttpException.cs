using System.Globalization;
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

    /// <summary>
    /// 409: what the request would change was changed by someone else meanwhile (a reviewer's
    /// decision, another update; on this instance or another), and the client sent no If-Match, so
    /// no precondition of its own failed. Nothing was recorded; reading again and retrying may help.
    /// </summary>
    public static FhirHttpException ChangedMeanwhile(string message, string? expression = null) =>
        new(StatusCodes.Status409Conflict, OperationOutcome.IssueType.Conflict, message, expression);

    /// <summary>
    /// 412: the client's own If-Match names a version of <paramref name="what"/> that is no longer
    /// current (<paramref name="current"/>, or null when only "newer" is known).
    /// </summary>
    public static FhirHttpException StaleIfMatch(string what, int expected, int? current) =>
        new(StatusCodes.Status412PreconditionFailed, OperationOutcome.IssueType.Conflict,
            $"If-Match names version {expected.ToString(CultureInfo.InvariantCulture)}, but the {what} is {(current is { } v ? "at version " + v.ToString(CultureInfo.InvariantCulture) : "newer")}: it was changed since. Nothing was recorded; read it again.",
            "If-Match");

    /// <summary>The FHIR issue type that best names an HTTP status (for refusals that carry no issue of their own).</summary>
    public static OperationOutcome.IssueType IssueTypeFor(int statusCode) => statusCode switch
    {
        401 => OperationOutcome.IssueType.Login,
        403 => OperationOutcome.IssueType.Forbidden,
        404 => OperationOutcome.IssueType.NotFound,
        405 or 406 or 415 => OperationOutcome.IssueType.NotSupported,
        409 or 412 => OperationOutcome.IssueType.Conflict,
        413 => OperationOutcome.IssueType.TooCostly,
        429 => OperationOutcome.IssueType.Throttled,
        503 => OperationOutcome.IssueType.Transient,
        >= 500 => OperationOutcome.IssueType.Exception,
        _ => OperationOutcome.IssueType.Invalid,
    };

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
