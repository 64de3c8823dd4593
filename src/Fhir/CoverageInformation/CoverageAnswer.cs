using Hl7.Fhir.Model;

namespace SpinePolicy.Fhir.CoverageInformation;

/// <summary>
/// One coverage-information assertion in CRD's terms (codes from the CRD 2.0.1 temp CodeSystem):
/// what CRD puts on an order and DTR on a completed QuestionnaireResponse, built by
/// <see cref="CoverageAnswers"/> and written by <see cref="CoverageInformationExtension"/>.
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

    /// <summary>The CPT code the assertion is about (billingCode), when one order is.</summary>
    public string? CptCode { get; init; }

    public string? CptDisplay { get; init; }

    /// <summary>Human-readable reasons (reason.text), each naming its clause and the policy version.</summary>
    public required IReadOnlyList<string> Reasons { get; init; }

    /// <summary>info-needed codes; any of them requires a conditional element (crd-ci-q3).</summary>
    public IReadOnlyList<string> InfoNeeded { get; init; } = [];

    public required DateOnly Date { get; init; }

    /// <summary>The reasons as one sentence (card detail).</summary>
    public string Reason => string.Join(" ", Reasons);
}
