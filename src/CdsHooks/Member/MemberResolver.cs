using System.Text.Json;
using SpinePolicy.CdsHooks.Protocol;
using SpinePolicy.CdsHooks.Resolution;
using SpinePolicy.CdsHooks.Services;
using SpinePolicy.Fhir;
using SpinePolicy.Fhir.Facts;
using SpinePolicy.Fhir.Http;
using SpinePolicy.PolicyEngine.Facts;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.CdsHooks.Member;

/// <summary>Gets the member's Patient and Coverage (prefetch, else the EHR, in parallel) and reads the policy facts from them, straight from their JSON.</summary>
internal sealed class MemberResolver(MemberCoverageReader coverageReader)
{
    public async Task<MemberFacts> ResolveAsync(HookRequest request, HookData data, CancellationToken cancellationToken)
    {
        if (request.PatientId is not { Length: > 0 } patientId)
        {
            throw CdsRequestException.Invalid("missing-context-field", "The context has no 'patientId'.");
        }

        System.Threading.Tasks.Task<EhrFetch> patientTask = data.FromPrefetch(PrefetchTemplates.PatientKey) is { } prefetched
            ? Task.FromResult(PrefetchedPatient(prefetched, patientId))
            : data.ReadAsync("Patient", patientId, cancellationToken);
        CheckPrefetchedCoverage(data.FromPrefetch(PrefetchTemplates.CoverageKey));
        var coverageTask = data.SearchAsync(PrefetchTemplates.CoverageKey, "Coverage", $"Coverage?patient={Uri.EscapeDataString(patientId)}&status=active", cancellationToken);
        await System.Threading.Tasks.Task.WhenAll(patientTask, coverageTask);

        var patientFetch = await patientTask;
        var coverageFetch = await coverageTask;

        var age = AgeFacts.Unknown;
        if (patientFetch.Status == EhrFetchStatus.Found && patientFetch.Resources.FirstOrDefault(r => HookData.ResourceTypeOf(r) == "Patient") is { } patientJson)
        {
            // Read from the EHR when not prefetched: its answer to Patient/{id} must be that patient too.
            PatientInContext.CheckPatient(patientJson, patientId, $"the EHR's answer to Patient/{patientId}");

            // The birth date is all a hook uses of the Patient: read (and checked) straight from the JSON.
            try
            {
                age = PatientFacts.AgeOf(patientJson);
            }
            catch (FhirHttpException ex)
            {
                throw CdsRequestException.BadFhir("invalid-fhir", ex.Message, ex.Expression);
            }
        }

        if (coverageFetch.Status != EhrFetchStatus.Found)
        {
            return new MemberFacts(null, null, null, age, coverageFetch, PatientProblem(patientFetch));
        }

        // Likewise the Coverage: its id, status, payors and plan classes, straight from the JSON.
        var coverages = coverageFetch.Resources
            .Select((json, i) => ReadCoverage(json, $"Coverage #{i + 1}", patientId))
            .Where(c => c.IsActive)
            .ToList();
        if (coverages.Count == 0)
        {
            return new MemberFacts(null, null, null, age, EhrFetch.NotFound("the member has no active Coverage"), PatientProblem(patientFetch));
        }

        // CRD: a payer answers only for its own coverage. A member insured twice (a Medicare plan and
        // a supplement, two employers) has both in the EHR's search; the other payer's is not ours
        // to read, and does not make the request ambiguous.
        var ours = coverages
            .Select(c => (Coverage: c, ProductLine: coverageReader.ReadProductLine(c)))
            .Where(c => c.ProductLine.Status != ProductLineStatus.ForeignPayer)
            .ToList();
        if (ours.Count == 0)
        {
            throw CdsRequestException.BadFhir("foreign-coverage", coverages.Count == 1
                ? "The Coverage's payor is not this payer; call the payer that issued it."
                : $"None of the {coverages.Count} active Coverages is this payer's; call the payers that issued them.", "Coverage.payor");
        }

        if (ours.Count > 1)
        {
            // Two of our own plans at once: which one the order is billed to is the EHR's to say.
            throw CdsRequestException.BadFhir("multiple-coverages", $"The request carries {ours.Count} active Coverages of this payer; send the one this order is billed to.", "Coverage");
        }

        var (coverage, productLine) = ours[0];

        return new MemberFacts(coverage, productLine.ProductLine, productLine.Problem, age, null, PatientProblem(patientFetch));
    }

    /// <summary>
    /// The prefetched Patient (the template asks for <c>Patient/{{context.patientId}}</c>): it must be
    /// a Patient, and the context's. A prefetch of another resource, or of another patient, is refused
    /// rather than read as "the birth date is unknown". An OperationOutcome is CDS Hooks 2.0's way of
    /// saying the EHR could not get it: the age is then unknown, as before.
    /// </summary>
    private static EhrFetch PrefetchedPatient(IReadOnlyList<JsonElement> prefetched, string patientId)
    {
        const string Where = $"prefetch.{PrefetchTemplates.PatientKey}";
        if (prefetched.FirstOrDefault(r => HookData.ResourceTypeOf(r) == "Patient") is not { ValueKind: JsonValueKind.Object } patient)
        {
            var types = prefetched.Select(HookData.ResourceTypeOf).OfType<string>().ToList();
            if (types.Count > 0 && types.All(t => t == "OperationOutcome"))
            {
                return EhrFetch.Found(prefetched);
            }

            var found = types.FirstOrDefault(t => t != "OperationOutcome") is { } type ? $"a {type}" : "no resource";
            throw CdsRequestException.BadFhir("unexpected-resource", $"'{Where}' holds {found} where the Patient (Patient/{{{{context.patientId}}}}) was expected.", Where);
        }

        PatientInContext.CheckPatient(patient, patientId, $"'{Where}'");
        return EhrFetch.Found([patient]);
    }

    /// <summary>
    /// The prefetched Coverage search (<c>Coverage?patient={{context.patientId}}</c>): a value holding
    /// resources but no Coverage, and not just an OperationOutcome (the EHR's way of saying the search
    /// failed), was filled with the wrong thing, and is refused rather than read as "the member has no
    /// coverage", which would answer for a member the request does describe. An empty searchset is a
    /// member with no coverage.
    /// </summary>
    private static void CheckPrefetchedCoverage(IReadOnlyList<JsonElement>? prefetched)
    {
        const string Where = $"prefetch.{PrefetchTemplates.CoverageKey}";
        if (prefetched is null)
        {
            return;
        }

        var types = prefetched.Select(HookData.ResourceTypeOf).ToList();
        if (types.Contains("Coverage") || types.All(t => t == "OperationOutcome"))
        {
            return;
        }

        var found = types.FirstOrDefault(t => t != "OperationOutcome") is { } type ? $"a {type}" : "something that is not a FHIR resource";
        throw CdsRequestException.BadFhir("unexpected-resource", $"'{Where}' holds {found} and no Coverage, where the member's Coverage search (Coverage?patient={{{{context.patientId}}}}) was expected.", Where);
    }

    private static CoverageFields ReadCoverage(JsonElement json, string where, string patientId)
    {
        if (HookData.ResourceTypeOf(json) is var type && type != "Coverage")
        {
            throw CdsRequestException.BadFhir("unexpected-resource", $"{where} is {(type is null ? "not a FHIR resource" : $"a {type}")} where a Coverage was expected.", where);
        }

        try
        {
            var beneficiary = JsonFields.OptionalObject(json, "beneficiary", "Coverage.beneficiary") is { } reference
                ? JsonFields.OptionalString(reference, "reference", "Coverage.beneficiary.reference")
                : null;
            PatientInContext.CheckBeneficiary(beneficiary, patientId, where);
            return CoverageFields.Read(json, "Coverage");
        }
        catch (FhirHttpException ex)
        {
            throw CdsRequestException.BadFhir("invalid-fhir", $"{where} is not valid FHIR R4: {ex.Message}", ex.Expression ?? where);
        }
    }

    private static EhrFetch? PatientProblem(EhrFetch patient) => patient.Status == EhrFetchStatus.Found ? null : patient;
}
