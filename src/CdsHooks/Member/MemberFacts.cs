using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;

namespace SpinePolicy.CdsHooks.Member;

/// <summary>
/// What the service learned about the member: the Coverage (and product line) when it could be had,
/// the age in years when the birth date is known, and what could not be had.
/// </summary>
public sealed record MemberFacts(Coverage? Coverage, string? ProductLine, string? ProductLineProblem, int? AgeYears, EhrFetch? CoverageMissing, EhrFetch? PatientMissing)
{
    public ResourceReference CoverageReference => Coverage is { Id: { Length: > 0 } id }
        ? new ResourceReference($"Coverage/{id}")
        : new ResourceReference { Display = "Member coverage not available to the payer" };

    public string? CoverageReferenceText => Coverage is { Id: { Length: > 0 } id } ? $"Coverage/{id}" : null;
}
