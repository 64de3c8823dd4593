using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Coverage;

namespace SpinePolicy.CdsHooks.Answers;

/// <summary>Maps the engine's <see cref="OrderCoverage"/> to CRD's coverage-information codes.</summary>
public static class CoverageAnswerMapper
{
    public static CoverageAnswer FromEngine(OrderCoverage coverage, Hl7.Fhir.Model.ResourceReference coverageReference, string assertionId, DateOnly date)
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
            CptCode = coverage.Order.CptCode,
            CptDisplay = coverage.CodeGroup.Display,
            Reason = primary is null ? "Medical Policy 097." : $"{primary.Message} (Medical Policy 097, {primary.Clause})",
            Date = date,
        };
    }

    /// <summary>
    /// The member's coverage could not be had (timeout, EHR error, none found): coverage and PA are
    /// conditional, and info-needed says something else is needed (crd-ci-q3).
    /// </summary>
    public static CoverageAnswer Conditional(OrderedService order, string? display, Hl7.Fhir.Model.ResourceReference coverageReference, string missing, string assertionId, DateOnly date) => new()
    {
        AssertionId = assertionId,
        Coverage = coverageReference,
        Covered = "conditional",
        PaNeeded = "conditional",
        InfoNeeded = [CoverageInformationExtension.InfoNeededOther],
        CptCode = order.CptCode,
        CptDisplay = display,
        Reason = $"Coverage could not be determined: {missing}. Policy 097 (P3) decides by the member's plan; resend with the member's Coverage.",
        Date = date,
    };
}
