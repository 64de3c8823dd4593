using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// A request this server cannot act on. The HTTP edge turns it into one OperationOutcome: 400 for a
/// malformed request, 422 for a well-formed one it cannot process (not a preauthorization, a
/// questionnaire it does not publish, another payer's coverage).
/// </summary>
public sealed class PasRequestException : Exception
{
    public PasRequestException(string message, string? expression = null, OperationOutcome.IssueType issueType = OperationOutcome.IssueType.Invalid, bool unprocessable = false)
        : base(message)
    {
        Expression = expression;
        IssueType = issueType;
        Unprocessable = unprocessable;
    }

    public PasRequestException() : this("The request is not a valid PAS request.") { }

    public PasRequestException(string message, Exception innerException) : base(message, innerException)
    {
        IssueType = OperationOutcome.IssueType.Invalid;
    }

    /// <summary>FHIRPath of the element at fault, when there is one.</summary>
    public string? Expression { get; }

    public OperationOutcome.IssueType IssueType { get; }

    /// <summary>True for 422 (understood, cannot be processed); false for 400 (malformed).</summary>
    public bool Unprocessable { get; }
}
