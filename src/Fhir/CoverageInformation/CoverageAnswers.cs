using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;
using SpinePolicy.PolicyEngine.Necessity;
using ResourceReference = Hl7.Fhir.Model.ResourceReference;

namespace SpinePolicy.Fhir.CoverageInformation;

/// <summary>
/// The engine's answers in CRD's coverage-information codes: CRD's per-order assessment
/// (<see cref="OrderCoverage"/>) and DTR's decision on a completed questionnaire
/// (<see cref="Determination"/>). One mapping, so the two never disagree on what a code means.
/// </summary>
public static class CoverageAnswers
{
    /// <summary>CRD: one governed order assessed for the member's plan (P3) and the order-set rules.</summary>
    public static CoverageAnswer FromCoverage(OrderCoverage coverage, ResourceReference coverageReference, string assertionId, DateOnly date)
    {
        var covered = coverage.Coverage switch
        {
            CoverageStatus.Covered => "covered",
            CoverageStatus.NotCovered => "not-covered",
            _ => "conditional",
        };
        var paNeeded = coverage.PriorAuthorization switch
        {
            PriorAuthStatus.AuthNeeded => "auth-needed",
            PriorAuthStatus.NoAuth => "no-auth",
            PriorAuthStatus.Conditional => "conditional",
            _ => null,
        };
        string? docNeeded = null;
        string? docPurpose = null;
        if (coverage.DocumentationNeeded)
        {
            // P3: the documentation is the clinical evidence a PA request needs (DTR questionnaire).
            docNeeded = coverage.Coverage == CoverageStatus.Conditional ? "conditional" : "clinical";
            docPurpose = "withpa";
        }

        var primary = coverage.Findings.Count > 0 ? coverage.Findings[0] : null;
        return new CoverageAnswer
        {
            AssertionId = assertionId,
            Coverage = coverageReference,
            Covered = covered,
            PaNeeded = paNeeded,
            DocNeeded = docNeeded,
            DocPurpose = docPurpose,
            Questionnaire = coverage.DocumentationNeeded ? coverage.Questionnaire?.Versioned : null,
            // The Coverage does not hold the date of service: what is needed is coverage in force that day (crd-ci-q3).
            InfoNeeded = coverage.Findings.Any(f => f.Kind == FindingKind.CoverageNotInForce) ? [CoverageInformationExtension.InfoNeededOther] : [],
            CptCode = coverage.Order.CptCode,
            CptDisplay = coverage.CodeGroup.Display,
            Reasons = WithVersion([primary is null ? "Medical Policy 097." : $"{primary.Message} (Medical Policy 097, {primary.Clause})"], coverage.DecidedUnder),
            Date = date,
        };
    }

    /// <summary>
    /// CRD: an order no loaded policy governs (P2), answered with the payer's configured default
    /// (<see cref="UngovernedServices"/>), never with documentation: there is no questionnaire for it.
    /// </summary>
    public static CoverageAnswer FromUngoverned(UngovernedServices ungoverned, Policy policy, string? cptCode, ResourceReference coverageReference, string assertionId, DateOnly date) => new()
    {
        AssertionId = assertionId,
        Coverage = coverageReference,
        Covered = ungoverned.CoverageStatus == CoverageStatus.Covered ? "covered" : "conditional",
        PaNeeded = ungoverned.PriorAuthStatus switch
        {
            PriorAuthStatus.NoAuth => "no-auth",
            PriorAuthStatus.AuthNeeded => "auth-needed",
            _ => "conditional",
        },
        CptCode = cptCode,
        Reasons = [ungoverned.Finding(policy, cptCode).Message],
        Date = date,
    };

    /// <summary>
    /// CRD: the member's coverage could not be had (timeout, EHR error, none found): coverage and PA
    /// are conditional, and info-needed says something else is needed (crd-ci-q3).
    /// </summary>
    /// <param name="decidedBy">What decides once the coverage is known, e.g. "Policy 097 (P3) decides by the member's plan".</param>
    public static CoverageAnswer Conditional(string? cptCode, string? display, ResourceReference coverageReference, string missing, string decidedBy, string assertionId, DateOnly date) => new()
    {
        AssertionId = assertionId,
        Coverage = coverageReference,
        Covered = "conditional",
        PaNeeded = "conditional",
        InfoNeeded = [CoverageInformationExtension.InfoNeededOther],
        CptCode = cptCode,
        CptDisplay = display,
        Reasons = [$"Coverage could not be determined: {missing}. {decidedBy}; resend with the member's Coverage."],
        Date = date,
    };

    /// <summary>
    /// DTR: what a completed questionnaire's answers mean for coverage, each reason prefixed with its
    /// clause. Approval by the questionnaire is not an authorization: PAS still issues it, so an
    /// approved case stays auth-needed. A criteria-only decision (no Coverage or order named) is
    /// conditional on the plan, and says that the Coverage is the information needed.
    /// </summary>
    public static CoverageAnswer FromDetermination(Determination determination, ResourceReference coverageReference, string? cptCode, string assertionId, DateOnly date)
    {
        var criteriaOnly = determination.Reasons.Any(r => r.Kind == FindingKind.CoverageNotAssessed);
        var (covered, paNeeded) = determination.Outcome switch
        {
            DeterminationOutcome.Approved when criteriaOnly => ("conditional", "conditional"),
            DeterminationOutcome.Approved => ("covered", "auth-needed"),
            DeterminationOutcome.NoAuthorizationRequired => ("covered", "no-auth"),
            DeterminationOutcome.Denied or DeterminationOutcome.NotPayable => ("not-covered", (string?)null),
            _ => ("conditional", "auth-needed"),
        };

        return new CoverageAnswer
        {
            AssertionId = assertionId,
            Coverage = coverageReference,
            Covered = covered,
            PaNeeded = paNeeded,
            InfoNeeded = criteriaOnly && determination.Outcome == DeterminationOutcome.Approved ? [CoverageInformationExtension.InfoNeededOther] : [],
            CptCode = cptCode,
            Reasons = WithVersion(determination.Reasons.Select(r => $"{r.Clause}: {r.Message}").ToList(), determination.DecidedUnder),
            Date = date,
        };
    }

    /// <summary>
    /// P13: the last reason names the version of the policy that decided (the one in force on the
    /// date of service); before the first version there is none, and the reason already says so.
    /// </summary>
    private static List<string> WithVersion(List<string> reasons, Policy? decidedUnder)
    {
        if (decidedUnder is not null)
        {
            reasons.Add(decidedUnder.DecidedUnder);
        }

        return reasons;
    }
}
