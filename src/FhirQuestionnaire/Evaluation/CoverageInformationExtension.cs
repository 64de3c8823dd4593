using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.FhirQuestionnaire.Evaluation;

/// <summary>
/// CRD's coverage-information extension for a completed questionnaire: what the answers mean for
/// coverage, each reason prefixed with the policy clause it rests on.
/// </summary>
public static class CoverageInformationExtension
{
    public static Extension Build(Determination determination, CaseFacts facts, string assertionId, DateOnly date)
    {
        var (covered, paNeeded) = determination.Outcome switch
        {
            DeterminationOutcome.Approved => ("covered", "auth-needed"),
            DeterminationOutcome.NoAuthorizationRequired => ("covered", "no-auth"),
            DeterminationOutcome.Denied or DeterminationOutcome.NotPayable => ("not-covered", null),
            _ => ("conditional", "auth-needed"),
        };

        var extension = new Extension { Url = DtrCanonicals.Extensions.CoverageInformation };
        extension.Extension.Add(new Extension("coverage", facts.CoverageReference is { } coverage
            ? new ResourceReference(coverage)
            : new ResourceReference { Display = "The member's coverage (not identified in the QuestionnaireResponse)" }));
        extension.Extension.Add(new Extension("covered", new Code(covered)));
        if (paNeeded is not null)
        {
            // Approval by the questionnaire is not an authorization: PAS still issues it.
            extension.Extension.Add(new Extension("pa-needed", new Code(paNeeded)));
        }

        foreach (var reason in determination.Reasons)
        {
            extension.Extension.Add(new Extension("reason", new CodeableConcept { Text = $"{reason.Clause}: {reason.Message}" }));
        }

        extension.Extension.Add(new Extension("date", new Date(date.Year, date.Month, date.Day)));
        extension.Extension.Add(new Extension("coverage-assertion-id", new FhirString(assertionId)));
        return extension;
    }
}
