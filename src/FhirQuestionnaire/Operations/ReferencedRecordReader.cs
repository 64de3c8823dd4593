using System.Collections.Frozen;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Artifacts;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// Reads the resources sent as <c>referenced</c> in $questionnaire-package the way the published
/// pre-population Library (SpinePolicyPrepopulation) reads an EHR record, so that the payer's draft
/// and the DTR app's own pre-population agree: BMI (LOINC 39156-5) dated by effectiveDateTime or
/// effectivePeriod, lumbar spine surgery coded in any system of the lumbar-spine-surgery value set
/// (CPT, SNOMED CT), pregnancy from a Condition or a pregnancy status Observation.
/// </summary>
internal sealed class ReferencedRecordReader
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string BodyMassIndexCode = "39156-5";
    private const string PregnancyStatusCode = "82810-3";
    private const string PregnantCode = "77386006";

    /// <summary>"system|code" of every lumbar spine operation in the published value set.</summary>
    private readonly FrozenSet<string> _lumbarSurgery;

    public ReferencedRecordReader(PublishedArtifacts artifacts)
    {
        // The value set the Library's PriorLumbarSurgery uses is the one list of codes: a payer
        // extends it (a new SNOMED CT concept) without touching this reader.
        var valueSet = artifacts.FindExact<ValueSet>(DtrCanonicals.LumbarSpineSurgeryValueSet);
        _lumbarSurgery = (valueSet?.Compose?.Include ?? [])
            .SelectMany(include => include.Concept.Select(concept => $"{include.System}|{concept.Code}"))
            .ToFrozenSet(StringComparer.Ordinal);
    }

    /// <param name="subject">The draft's subject: resources about another patient are ignored.</param>
    public ReferencedRecord Read(IReadOnlyList<Resource> referenced, ResourceReference subject)
    {
        var observations = referenced.OfType<Observation>()
            .Where(o => IsAbout(o.Subject, subject) && o.Status is ObservationStatus.Final or ObservationStatus.Amended or ObservationStatus.Corrected)
            .ToList();

        // P7.11: the latest dated measurement, as the Library's LatestBodyMassIndex.
        var bodyMassIndex = Latest(observations.Where(o => Has(o.Code, Loinc, BodyMassIndexCode) && o.Value is Quantity { Value: not null } q && q.Code is null or "kg/m2"))
            is { Value: Quantity { Value: { } value } } ? value : (decimal?)null;

        // P7.2: a completed operation on the lumbar spine.
        var surgery = referenced.OfType<Procedure>()
            .Any(p => IsAbout(p.Subject, subject) && p.Status == EventStatus.Completed
                && p.Code?.Coding.Any(c => _lumbarSurgery.Contains($"{c.System}|{c.Code}")) == true);

        // P7.14: an active, not refuted pregnancy; or the latest pregnancy status says pregnant.
        var pregnantCondition = referenced.OfType<Condition>()
            .Any(c => IsAbout(c.Subject, subject) && Has(c.Code, Snomed, PregnantCode)
                && c.ClinicalStatus?.Coding.Any(s => s.Code == "active") == true
                && c.VerificationStatus?.Coding.Any(s => s.Code is "refuted" or "entered-in-error") != true);
        var pregnantObservation = Latest(observations.Where(o => Has(o.Code, Loinc, PregnancyStatusCode)))
            is { Value: CodeableConcept status } && Has(status, Snomed, PregnantCode);

        return new ReferencedRecord(bodyMassIndex, surgery, pregnantCondition || pregnantObservation);
    }

    /// <summary>The observation with the latest date; an undated one cannot be the latest (as in the Library).</summary>
    private static Observation? Latest(IEnumerable<Observation> observations) =>
        observations
            .Select(o => (Observation: o, When: EffectiveOf(o.Effective)))
            .Where(o => o.When is not null)
            .OrderByDescending(o => o.When)
            .Select(o => o.Observation)
            .FirstOrDefault();

    /// <summary>A period counts by its end (the measurement is complete then), else its start.</summary>
    private static DateTimeOffset? EffectiveOf(DataType? effective) => effective switch
    {
        FhirDateTime dateTime when dateTime.TryToDateTimeOffset(TimeSpan.Zero, out var at) => at,
        Instant { Value: { } instant } => instant,
        Period period => EffectiveOf(period.EndElement) ?? EffectiveOf(period.StartElement),
        _ => null,
    };

    private static bool Has(CodeableConcept? concept, string system, string code) =>
        concept?.Coding.Any(c => c.System == system && c.Code == code) == true;

    /// <summary>A resource without a subject is taken as the member's (it was sent for this member).</summary>
    private static bool IsAbout(ResourceReference? about, ResourceReference subject) =>
        about?.Reference is not { } reference
        || subject.Reference is not { } member
        || reference == member
        || reference.EndsWith($"/{member}", StringComparison.Ordinal);
}
