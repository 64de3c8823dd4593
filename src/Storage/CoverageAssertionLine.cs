namespace SpinePolicy.Storage;

/// <summary>One coverage-information repetition of an assertion: a billing code and what CRD said about it.</summary>
public sealed record CoverageAssertionLine
{
    /// <summary>The CPT code, or null when the order names none.</summary>
    public string? CptCode { get; init; }

    /// <summary>CRD "covered" code: covered, not-covered, conditional.</summary>
    public required string Covered { get; init; }

    /// <summary>CRD "pa-needed" code, or null when none was sent.</summary>
    public string? PaNeeded { get; init; }

    public bool DocumentationNeeded { get; init; }

    public string? QuestionnaireCanonical { get; init; }
}
