using Hl7.Fhir.Model;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.PolicyEngine.Facts;

namespace SpinePolicy.CdsHooks.Member;

/// <summary>
/// What the service learned about the member: the Coverage (and product line) when it could be had,
/// the birth date (the engine takes the age on each order's date of service), and what could not be had.
/// </summary>
internal sealed record MemberFacts(CoverageFields? Coverage, string? ProductLine, string? ProductLineProblem, AgeFacts Age, EhrFetch? CoverageMissing, EhrFetch? PatientMissing)
{
    public ResourceReference CoverageReference => Coverage is { Id: { Length: > 0 } id }
        ? new ResourceReference($"Coverage/{id}")
        : new ResourceReference { Display = "Member coverage not available to the payer" };

    public string? CoverageReferenceText => Coverage is { Id: { Length: > 0 } id } ? $"Coverage/{id}" : null;
}
