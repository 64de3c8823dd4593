using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// The payer's draft in $questionnaire-package uses the clinical resources the DTR client sends as
/// 'referenced' (issue #12): BMI (P7.11) dated by effectiveDateTime or effectivePeriod, lumbar
/// surgery (P7.2) in CPT or SNOMED CT, pregnancy (P7.14) from a Condition or an Observation.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class PackageReferencedRecordTests(DtrAppFixture fixture)
{
    private const string Loinc = "http://loinc.org";
    private const string Snomed = "http://snomed.info/sct";
    private const string Cpt = "http://www.ama-assn.org/go/cpt";

    [Fact]
    [Trait("Clause", "P7.11")]
    [Trait("Clause", "P7.2")]
    public async Task Package_BmiByEffectivePeriodAndSnomedLumbarSurgeryReferenced_PrefillsBothAsAuto()
    {
        var draft = await DraftAsync("rec-1",
            Bmi("rec-1", 31.0m, new FhirDateTime("2025-03-01")),
            Bmi("rec-1", 41.2m, new Period { Start = "2026-02-01", End = "2026-02-02" }),
            Surgery("rec-1", Snomed, "277764006"));

        var bmi = Answer(draft, "bvna-bmi");
        Assert.Equal(41.2m, Assert.IsType<FhirDecimal>(bmi.Value).Value);
        var surgery = Answer(draft, "bvna-prior-lumbar-surgery");
        Assert.True(Assert.IsType<FhirBoolean>(surgery.Value).Value);
        Assert.All(new[] { bmi, surgery }, a => Assert.Equal("auto", QuestionnairePackageTests.OriginOf(a)));
    }

    [Fact]
    [Trait("Clause", "P7.11")]
    [Trait("Clause", "P7.2")]
    public async Task Package_BmiByEffectiveDateTimeAndCptLumbarSurgeryReferenced_PrefillsBoth()
    {
        var draft = await DraftAsync("rec-2",
            Bmi("rec-2", 27.5m, new FhirDateTime("2026-01-15")),
            Surgery("rec-2", Cpt, "63047"));

        Assert.Equal(27.5m, Assert.IsType<FhirDecimal>(Answer(draft, "bvna-bmi").Value).Value);
        Assert.True(Assert.IsType<FhirBoolean>(Answer(draft, "bvna-prior-lumbar-surgery").Value).Value);
    }

    public static TheoryData<string, Resource> PregnancyRecords() => new()
    {
        { "condition", new Condition
            {
                ClinicalStatus = new CodeableConcept("http://terminology.hl7.org/CodeSystem/condition-clinical", "active"),
                Code = new CodeableConcept(Snomed, "77386006", "Pregnancy"),
                Subject = new ResourceReference("Patient/rec-3"),
            }
        },
        { "observation", new Observation
            {
                Status = ObservationStatus.Final,
                Code = new CodeableConcept(Loinc, "82810-3", "Pregnancy status"),
                Subject = new ResourceReference("Patient/rec-3"),
                Effective = new Period { Start = "2026-02-10" },
                Value = new CodeableConcept(Snomed, "77386006", "Pregnant"),
            }
        },
    };

    [Theory]
    [MemberData(nameof(PregnancyRecords))]
    [Trait("Clause", "P7.14")]
    public async Task Package_PregnancyRecordedAsConditionOrObservation_PrefillsPregnancyAndItsGate(string kind, Resource record)
    {
        var draft = await DraftAsync("rec-3", record);

        Assert.True(Assert.IsType<FhirBoolean>(Answer(draft, "bvna-pregnancy-possible").Value).Value, kind);
        var pregnancy = Answer(draft, "bvna-pregnancy");
        Assert.True(Assert.IsType<FhirBoolean>(pregnancy.Value).Value, kind);
        Assert.Equal("auto", QuestionnairePackageTests.OriginOf(pregnancy));
    }

    [Fact]
    [Trait("Clause", "P7.14")]
    public async Task Package_LatestPregnancyStatusSaysNotPregnant_PrefillsNoPregnancy()
    {
        var earlier = PregnancyStatus("rec-4", "77386006", "2025-01-10");
        var latest = PregnancyStatus("rec-4", "60001007", "2026-02-10");

        var draft = await DraftAsync("rec-4", earlier, latest);

        Assert.DoesNotContain(QuestionnairePackageTests.Flatten(draft.Item), i => i.LinkId == "bvna-pregnancy");
    }

    [Fact]
    [Trait("Clause", "P7.11")]
    [Trait("Clause", "P7.2")]
    public async Task Package_RecordsOfAnotherPatientOrNotFinalOrNotDone_AreIgnored()
    {
        var preliminary = Bmi("rec-5", 45m, new FhirDateTime("2026-02-01"));
        preliminary.Status = ObservationStatus.Preliminary;
        var notDone = Surgery("rec-5", Cpt, "22612");
        notDone.Status = EventStatus.NotDone;

        var draft = await DraftAsync("rec-5",
            preliminary,
            notDone,
            Bmi("someone-else", 44m, new FhirDateTime("2026-02-03")),
            Surgery("someone-else", Snomed, "277764006"),
            Surgery("rec-5", Cpt, "64628"));

        var answered = QuestionnairePackageTests.Flatten(draft.Item).Where(i => i.Answer.Count > 0).Select(i => i.LinkId).ToList();
        Assert.Equal(["member-age"], answered);
    }

    private async Task<QuestionnaireResponse> DraftAsync(string patientId, params Resource[] record)
    {
        var parameters = new List<(string, Base)>
        {
            ("order", PackageRequests.Order($"bvna-{patientId}", patientId, "64628")),
            ("referenced", PackageRequests.Patient(patientId, "1970-05-01")),
        };
        parameters.AddRange(record.Select(r => ("referenced", (Base)r)));
        var reply = await FhirHttp.PostAsync(fixture.Client, PackageRequests.Path, PackageRequests.For(PackageRequests.Coverage(patientId), [.. parameters]));

        Assert.True(reply.Status == HttpStatusCode.OK, reply.Body);
        return Assert.IsType<QuestionnaireResponse>(Assert.Single(PackageRequests.Bundles(reply.As<Parameters>())).Entry[^1].Resource);
    }

    private static QuestionnaireResponse.AnswerComponent Answer(QuestionnaireResponse draft, string linkId) =>
        Assert.Single(Assert.Single(QuestionnairePackageTests.Flatten(draft.Item), i => i.LinkId == linkId).Answer);

    private static Observation Bmi(string patientId, decimal value, DataType effective) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, "39156-5", "Body mass index (BMI) [Ratio]"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Effective = effective,
        Value = new Quantity(value, "kg/m2", "http://unitsofmeasure.org"),
    };

    private static Observation PregnancyStatus(string patientId, string snomedValue, string date) => new()
    {
        Status = ObservationStatus.Final,
        Code = new CodeableConcept(Loinc, "82810-3", "Pregnancy status"),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Effective = new FhirDateTime(date),
        Value = new CodeableConcept(Snomed, snomedValue),
    };

    private static Procedure Surgery(string patientId, string system, string code) => new()
    {
        Status = EventStatus.Completed,
        Code = new CodeableConcept(system, code),
        Subject = new ResourceReference($"Patient/{patientId}"),
        Performed = new FhirDateTime("2019-06-01"),
    };
}
