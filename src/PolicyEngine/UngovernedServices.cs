using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PolicyEngine;

/// <summary>
/// What this payer says about a service that no loaded medical policy governs (a code outside P2's
/// list, or an order with no CPT code at all). Payer configuration, not policy text (section
/// "UngovernedServices"): CRD answers it as coverage-information, DTR serves no questionnaire for
/// it, PAS decides it the same way — so the three agree by construction.
/// </summary>
public sealed record UngovernedServices
{
    public const string SectionName = "UngovernedServices";

    /// <summary>Default: the service is not on this payer's prior-authorization list.</summary>
    public UngovernedPriorAuthorization PriorAuthorization { get; init; } = UngovernedPriorAuthorization.NotRequired;

    /// <summary>Default: coverage depends on the member's benefits and is decided on the claim.</summary>
    public UngovernedCoverage Coverage { get; init; } = UngovernedCoverage.Conditional;

    public CoverageStatus CoverageStatus => Coverage == UngovernedCoverage.Covered ? CoverageStatus.Covered : CoverageStatus.Conditional;

    public PriorAuthStatus PriorAuthStatus => PriorAuthorization switch
    {
        UngovernedPriorAuthorization.NotRequired => PriorAuthStatus.NoAuth,
        UngovernedPriorAuthorization.Required => PriorAuthStatus.AuthNeeded,
        _ => PriorAuthStatus.Conditional,
    };

    /// <summary>PAS: nothing to decide when no authorization is required; otherwise a reviewer decides.</summary>
    public DeterminationOutcome Outcome =>
        PriorAuthorization == UngovernedPriorAuthorization.NotRequired ? DeterminationOutcome.NoAuthorizationRequired : DeterminationOutcome.Pended;

    /// <summary>The reason every slice gives, in words, for a service <paramref name="code"/> (null: the order names no CPT code).</summary>
    public PolicyFinding Finding(Policy policy, string? code)
    {
        var authorization = PriorAuthorization switch
        {
            UngovernedPriorAuthorization.NotRequired => "it is not on this payer's prior-authorization list, so no prior authorization is needed",
            UngovernedPriorAuthorization.Required => "this payer requires prior authorization for it, decided by individual review",
            _ => "whether prior authorization is needed is decided by individual review",
        };
        var coverage = Coverage == UngovernedCoverage.Covered
            ? "It is covered under the member's benefits."
            : "Coverage depends on the member's benefits and is decided on the claim.";
        var subject = code is null ? "This order names no CPT code, so it is" : $"CPT {code} is";
        return new PolicyFinding(
            FindingKind.NotGoverned,
            "P2",
            $"{subject} not governed by any medical policy this payer has loaded (Medical Policy {policy.Document.PolicyNumber} lists the codes it governs): {authorization}. {coverage}");
    }
}
