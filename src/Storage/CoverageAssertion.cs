namespace SpinePolicy.Storage;

/// <summary>
/// What CRD told an EHR about one order (its coverage-assertion-id and decision), kept so that DTR
/// and PAS can find it later. Holds ids, codes and decision, not clinical detail.
/// </summary>
public sealed record CoverageAssertion
{
    public required string AssertionId { get; init; }

    /// <summary>The order as the EHR named it, e.g. "ServiceRequest/123".</summary>
    public required string OrderReference { get; init; }

    public string? PatientId { get; init; }

    public string? CoverageReference { get; init; }

    public required string CptCode { get; init; }

    public required string ProductLine { get; init; }

    /// <summary>CRD "covered" code: covered, not-covered, conditional.</summary>
    public required string Covered { get; init; }

    /// <summary>CRD "pa-needed" code, or null when none was sent.</summary>
    public string? PaNeeded { get; init; }

    public bool DocumentationNeeded { get; init; }

    public string? QuestionnaireCanonical { get; init; }

    public required string PolicyVersion { get; init; }

    public required string Hook { get; init; }

    public required DateTimeOffset AssertedAt { get; init; }
}
