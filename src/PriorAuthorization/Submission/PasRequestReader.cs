using Hl7.Fhir.Model;
using Microsoft.AspNetCore.Http;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.CoverageInformation;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.FhirQuestionnaire.Answers;
using SpinePolicy.PolicyEngine;
using SpinePolicy.PolicyEngine.Necessity;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Submission;

/// <summary>
/// Reads a pas-request-bundle into a <see cref="PasSubmission"/>, refusing with one specific
/// <see cref="FhirHttpException"/> what cannot be acted on. What the policy needs and the Bundle
/// lacks (a CPT code, a birth date, a plan) is not an error here: the engine pends such lines.
/// </summary>
internal sealed class PasRequestReader(Policy policy, QuestionnaireAnswerReader answerReader, OrderFactsReader orderFacts)
{
    public PasSubmission Read(Bundle bundle)
    {
        if (bundle.Entry.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The Bundle has no entries; a PAS request Bundle starts with the Claim.", "Bundle.entry");
        }

        if (bundle.Type != Bundle.BundleType.Collection)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value, $"A PAS request Bundle has type 'collection', not '{bundle.Type?.ToString().ToLowerInvariant() ?? "none"}'.", "Bundle.type");
        }

        BundleReferenceResolver.RequireUniqueFullUrls(bundle);
        var claimEntry = bundle.Entry[0];
        if (claimEntry.Resource is not Claim claim)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Structure, $"The first entry of a PAS request Bundle must be the Claim, not {claimEntry.Resource?.TypeName ?? "an empty entry"}.", "Bundle.entry[0].resource");
        }

        if (claim.Use != ClaimUseCode.Preauthorization)
        {
            throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.BusinessRule, $"Claim.use is '{claim.Use?.ToString().ToLowerInvariant() ?? "missing"}'; this endpoint decides prior-authorization requests (use = preauthorization) only.", "Bundle.entry[0].resource.use");
        }

        var claimKey = IdentifierKey(claim.Identifier.FirstOrDefault())
            ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Claim.identifier is required: it names the request for resubmission and inquiry.", "Bundle.entry[0].resource.identifier");

        if (claim.Item.Count == 0)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "The Claim has no items; there is nothing to authorize.", "Bundle.entry[0].resource.item");
        }

        var resolver = new BundleReferenceResolver(bundle);
        var patientEntry = RequireEntry<Patient>(resolver, claim.Patient, claimEntry, "Claim.patient");
        var insurerEntry = RequireEntry<Organization>(resolver, claim.Insurer, claimEntry, "Claim.insurer");
        var requestorEntry = RequireEntry<Resource>(resolver, claim.Provider, claimEntry, "Claim.provider");

        var focal = claim.Insurance.FirstOrDefault(i => i.Focal == true) ?? claim.Insurance.FirstOrDefault()
            ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Claim.insurance is required: the member's Coverage decides the product line.", "Bundle.entry[0].resource.insurance");
        var coverage = (Coverage)RequireEntry<Coverage>(resolver, focal.Coverage, claimEntry, "Claim.insurance.coverage").Resource!;

        foreach (var careTeam in claim.CareTeam)
        {
            RequireEntry<Resource>(resolver, careTeam.Provider, claimEntry, "Claim.careTeam.provider");
        }

        var lines = new List<ClaimLine>(claim.Item.Count);
        for (var i = 0; i < claim.Item.Count; i++)
        {
            // Sequences are echoed as sent, even when a client repeats one (Inferno's multi-item bundle does).
            lines.Add(ReadLine(claim, i, resolver, claimEntry));
        }

        // A member born after a line's date of service is refused, as CRD and DTR refuse it.
        var age = PatientFacts.AgeOf((Patient)patientEntry.Resource!);
        PatientFacts.CheckBornBy(age, lines.Select(l => l.Service), $"Bundle.entry[{bundle.Entry.IndexOf(patientEntry)}].resource.birthDate");

        var responses = FindQuestionnaireResponses(claim, bundle, resolver, claimEntry);
        var answers = ReadAnswers(responses);

        return new PasSubmission(
            bundle,
            claim,
            patientEntry,
            (Patient)patientEntry.Resource!,
            age,
            coverage,
            insurerEntry,
            requestorEntry,
            lines,
            responses,
            answers,
            claimKey,
            IdentifierKey(bundle.Identifier),
            claim.Related.Select(r => IdentifierKey(r.Claim?.Identifier)).FirstOrDefault(k => k is not null));
    }

    /// <summary>"system|value", the form in which identifiers key idempotency and inquiry.</summary>
    public static string? IdentifierKey(Identifier? identifier) =>
        identifier?.Value is { Length: > 0 } value ? $"{identifier.System}|{value}" : null;

    private ClaimLine ReadLine(Claim claim, int index, BundleReferenceResolver resolver, Bundle.EntryComponent claimEntry)
    {
        var item = claim.Item[index];
        var path = $"Bundle.entry[0].resource.item[{index}]";
        if (item.Sequence is not { } sequence || sequence < 1)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Every Claim.item needs a positive sequence.", $"{path}.sequence");
        }

        OrderedService service;
        try
        {
            service = orderFacts.Read(claim, index, index.ToString(System.Globalization.CultureInfo.InvariantCulture), "Bundle.entry[0].resource")
                ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, "Claim.item.productOrService needs a coded service.", $"{path}.productOrService");
        }
        catch (FhirHttpException ex)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Value, ex.Message, ex.Expression, innerException: ex);
        }

        var cancelled = item.ModifierExtension.Any(e => e.Url == PasCodes.InfoCancelledUrl && e.Value is FhirBoolean { Value: true })
            || item.Extension.Any(e => e.Url == PasCodes.CertificationTypeUrl && e.Value is CodeableConcept cc && cc.Coding.Any(x => x.Code == "3"));

        string? assertionId = null;
        foreach (var requested in item.Extension.Where(e => e.Url == PasCodes.RequestedServiceUrl))
        {
            if (requested.Value is not ResourceReference reference)
            {
                continue;
            }

            var target = resolver.ResolveResource(reference, claimEntry, claim)
                ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotFound, $"Claim.item {sequence} names requested service '{reference.Reference}', which is not in the Bundle.", $"{path}.extension('requestedService')");
            assertionId ??= CoverageInformationExtension.AssertionIdOn(target);
        }

        return new ClaimLine(index, sequence, service, cancelled, assertionId);
    }

    private static Bundle.EntryComponent RequireEntry<T>(BundleReferenceResolver resolver, ResourceReference? reference, Bundle.EntryComponent claimEntry, string element)
        where T : Resource
    {
        if (reference?.Reference is not { Length: > 0 } value)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Required, $"{element} is required and must reference a resource in the Bundle.", $"Bundle.entry[0].resource.{element["Claim.".Length..]}");
        }

        var entry = resolver.Resolve(value, claimEntry)
            ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotFound, $"{element} references '{value}', which is not in the Bundle.", $"Bundle.entry[0].resource.{element["Claim.".Length..]}");
        if (entry.Resource is not T)
        {
            throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.Invalid, $"{element} references a {entry.Resource?.TypeName ?? "missing resource"}, not a {typeof(T).Name}.", $"Bundle.entry[0].resource.{element["Claim.".Length..]}");
        }

        return entry;
    }

    private static List<QuestionnaireResponse> FindQuestionnaireResponses(Claim claim, Bundle bundle, BundleReferenceResolver resolver, Bundle.EntryComponent claimEntry)
    {
        var found = new List<QuestionnaireResponse>();
        for (var i = 0; i < claim.SupportingInfo.Count; i++)
        {
            if (claim.SupportingInfo[i].Value is not ResourceReference reference)
            {
                continue;
            }

            var target = resolver.ResolveResource(reference, claimEntry, claim)
                ?? throw new FhirHttpException(StatusCodes.Status400BadRequest, OperationOutcome.IssueType.NotFound, $"Claim.supportingInfo {claim.SupportingInfo[i].Sequence} references '{reference.Reference}', which is neither contained nor in the Bundle.", $"Bundle.entry[0].resource.supportingInfo[{i}].value");
            if (target is QuestionnaireResponse qr && !found.Contains(qr))
            {
                found.Add(qr);
            }
        }

        // A QuestionnaireResponse sent as an entry but not named by supportingInfo still documents the request.
        foreach (var entry in bundle.Entry)
        {
            if (entry.Resource is QuestionnaireResponse qr && !found.Contains(qr))
            {
                found.Add(qr);
            }
        }

        return found;
    }

    private Dictionary<string, IReadOnlyDictionary<string, CriterionAnswer>> ReadAnswers(List<QuestionnaireResponse> responses)
    {
        var byFamily = new Dictionary<string, IReadOnlyDictionary<string, CriterionAnswer>>(StringComparer.Ordinal);
        foreach (var response in responses)
        {
            var read = answerReader.Read(response);
            if (read.Questionnaire is null)
            {
                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.NotFound, read.Problems.Count > 0 ? read.Problems[0] : "The QuestionnaireResponse names no questionnaire.", "QuestionnaireResponse.questionnaire");
            }

            if (!read.IsValid)
            {
                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Invalid, $"QuestionnaireResponse for '{response.Questionnaire}': {(read.Problems.Count > 0 ? read.Problems[0] : "it does not match its questionnaire.")}", "QuestionnaireResponse.item");
            }

            if (!byFamily.TryAdd(read.FamilyCode!, read.Answers))
            {
                throw new FhirHttpException(StatusCodes.Status422UnprocessableEntity, OperationOutcome.IssueType.Duplicate, $"Two QuestionnaireResponses answer the {policy.Family(read.FamilyCode!).Display} questionnaire; send one per service family.", "QuestionnaireResponse.questionnaire");
            }
        }

        return byFamily;
    }
}
