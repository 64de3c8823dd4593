using Hl7.Fhir.Model;

namespace SpinePolicy.CdsHooks.Answers;

/// <summary>
/// One coverage-information assertion in CRD's terms (codes from the CRD 2.0.1 temp CodeSystem),
/// ready to become an ext-coverage-information extension and a stored CoverageAssertion.
/// </summary>
public sealed record CoverageAnswer
{
    public required string AssertionId { get; init; }

    public required ResourceReference Coverage { get; init; }

    /// <summary>covered | not-covered | conditional.</summary>
    public required string Covered { get; init; }

    /// <summary>no-auth | auth-needed | conditional, or null (not-covered sends none: crd-ci-q2).</summary>
    public string? PaNeeded { get; init; }

    /// <summary>clinical | conditional, or null when no documentation is needed.</summary>
    public string? DocNeeded { get; init; }

    /// <summary>withpa when the documentation supports a prior-authorization request.</summary>
    public string? DocPurpose { get; init; }

    /// <summary>The versioned Questionnaire canonical, only with doc-needed (crd-ci-q1).</summary>
    public string? Questionnaire { get; init; }

    public required string CptCode { get; init; }

    public string? CptDisplay { get; init; }

    /// <summary>Human-readable reason (reason.text), naming the clause.</summary>
    public required string Reason { get; init; }

    /// <summary>info-needed codes; any of them requires a conditional element (crd-ci-q3).</summary>
    public IReadOnlyList<string> InfoNeeded { get; init; } = [];

    public required DateOnly Date { get; init; }
}
