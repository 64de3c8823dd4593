using Hl7.Fhir.Model;

namespace SpinePolicy.TestKit.Validation;

/// <summary>One issue the validator reported, flattened from its OperationOutcome.</summary>
/// <param name="Severity">Fatal, error, warning or information.</param>
/// <param name="Code">The OperationOutcome issue type (structure, invariant, code-invalid …).</param>
/// <param name="FirelyIssueNumber">Firely's own issue number (details.coding.code), e.g. "1012".</param>
/// <param name="Expression">Where in the instance, as a FHIRPath (may be empty).</param>
/// <param name="Text">The validator's message.</param>
public sealed record ValidationIssue(
    OperationOutcome.IssueSeverity Severity,
    OperationOutcome.IssueType Code,
    string? FirelyIssueNumber,
    string Expression,
    string Text)
{
    public bool IsError => Severity is OperationOutcome.IssueSeverity.Error or OperationOutcome.IssueSeverity.Fatal;

    public bool IsWarning => Severity is OperationOutcome.IssueSeverity.Warning;

    public override string ToString() => $"{Severity} [{Code}{(FirelyIssueNumber is null ? "" : "/" + FirelyIssueNumber)}] {Expression}: {Text}";
}
