using Hl7.Fhir.Model;
using SpinePolicy.PolicyEngine.Facts;
using SpinePolicy.PolicyEngine.Necessity;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// A PAS request Bundle read and checked: the Claim, whom and what it is about (the member's age
/// facts and each line's service come from the shared facts translation), and the answers.
/// </summary>
internal sealed record PasSubmission(
    Bundle Bundle,
    Claim Claim,
    Bundle.EntryComponent PatientEntry,
    Patient Patient,
    AgeFacts Age,
    Coverage Coverage,
    Bundle.EntryComponent InsurerEntry,
    Bundle.EntryComponent? RequestorEntry,
    IReadOnlyList<ClaimLine> Lines,
    IReadOnlyList<QuestionnaireResponse> QuestionnaireResponses,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, CriterionAnswer>> AnswersByFamily,
    string ClaimKey,
    string? BundleKey,
    string? ReplacesClaimKey);
