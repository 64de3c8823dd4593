namespace SpinePolicy.Storage;

/// <summary>
/// What CRD told an EHR about one resource for one Coverage (its coverage-assertion-id and
/// decisions), kept so that DTR and PAS can find it later. Holds ids, codes and decisions, not
/// clinical detail. One id covers every coverage-information repetition on the resource for that
/// Coverage (CRD 2.0.1), so an Appointment based on two orders has one assertion with two lines.
/// </summary>
public sealed record CoverageAssertion
{
    public required string AssertionId { get; init; }

    /// <summary>The annotated resource as the EHR named it, e.g. "ServiceRequest/123".</summary>
    public required string OrderReference { get; init; }

    public string? PatientId { get; init; }

    public string? CoverageReference { get; init; }

    /// <summary>The first line's CPT code; null when that order names none (not governed by any loaded policy).</summary>
    public string? CptCode { get; init; }

    public required string ProductLine { get; init; }

    /// <summary>The first line's CRD "covered" code: covered, not-covered, conditional.</summary>
    public required string Covered { get; init; }

    /// <summary>The first line's CRD "pa-needed" code, or null when none was sent.</summary>
    public string? PaNeeded { get; init; }

    public bool DocumentationNeeded { get; init; }

    public string? QuestionnaireCanonical { get; init; }

    /// <summary>Every repetition under this id; empty in records written before repetitions shared one (then the fields above are the one line).</summary>
    public IReadOnlyList<CoverageAssertionLine> Lines { get; init; } = [];

    public required string PolicyVersion { get; init; }

    public required string Hook { get; init; }

    public required DateTimeOffset AssertedAt { get; init; }

    /// <summary>The lines, whichever way the record was written.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public IReadOnlyList<CoverageAssertionLine> AllLines => Lines.Count > 0
        ? Lines
        : [new CoverageAssertionLine { CptCode = CptCode, Covered = Covered, PaNeeded = PaNeeded, DocumentationNeeded = DocumentationNeeded, QuestionnaireCanonical = QuestionnaireCanonical }];
}
