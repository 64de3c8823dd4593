using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir;

/// <summary>Builds the OperationOutcomes the FHIR edge returns.</summary>
public static class OperationOutcomes
{
    public static OperationOutcome Error(OperationOutcome.IssueType code, string diagnostics, string? expression = null) =>
        Issue(OperationOutcome.IssueSeverity.Error, code, diagnostics, expression);

    public static OperationOutcome Issue(OperationOutcome.IssueSeverity severity, OperationOutcome.IssueType code, string diagnostics, string? expression = null)
    {
        var issue = new OperationOutcome.IssueComponent
        {
            Severity = severity,
            Code = code,
            Diagnostics = diagnostics,
        };
        if (!string.IsNullOrEmpty(expression))
        {
            issue.Expression = [expression];
        }

        return new OperationOutcome { Issue = [issue] };
    }
}
