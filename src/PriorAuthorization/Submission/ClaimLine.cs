using SpinePolicy.PolicyEngine;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// One Claim.item (at <see cref="Index"/> in Claim.item) as the decision needs it: the service as
/// the shared facts translation reads it (code, units, date of service), whether the submitter
/// cancelled it, and the CRD assertion its order carries.
/// </summary>
internal sealed record ClaimLine(
    int Index,
    int Sequence,
    OrderedService Service,
    bool Cancelled,
    string? CoverageAssertionId)
{
    public string ServiceCode => Service.CptCode;
}
