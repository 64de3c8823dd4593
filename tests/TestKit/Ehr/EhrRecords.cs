using Hl7.Fhir.Model;

namespace SpinePolicy.TestKit.Ehr;

/// <summary>
/// What the test EHR holds: a pain clinic, its physician, the health plan, and members each with a
/// commercial Coverage and a signed BVNA order (CPT 64628). Every member has a recent BMI
/// observation; <see cref="SurgeryPatient"/> also had lumbar spine surgery (CPT 63030, completed).
/// </summary>
public static class EhrRecords
{
    public const string Cpt = "http://www.ama-assn.org/go/cpt";
    public const string ApprovedPatient = "pat-bvna";
    public const string SurgeryPatient = "pat-surgery";
    public const string Physician = "Practitioner/dr-osei";
    public const string PainClinicNpi = "1234567893";
    public const string PhysicianNpi = "1245319599";

    public static IEnumerable<Resource> All() =>
    [
        new Organization
        {
            Id = "health-plan",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1679576722")],
            Active = true,
            Name = "SpinePolicy Health Plan",
        },
        new Organization
        {
            Id = "pain-clinic",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", PainClinicNpi)],
            Active = true,
            Name = "Riverside Spine Clinic",
        },
        new Practitioner
        {
            Id = "dr-osei",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", PhysicianNpi)],
            Name = [new HumanName { Family = "Osei", Given = ["Ama"] }],
        },
        new PractitionerRole
        {
            Id = "dr-osei-at-clinic",
            Practitioner = new ResourceReference(Physician),
            Organization = new ResourceReference("Organization/pain-clinic"),
        },
        .. Member(ApprovedPatient, "Morgan", "Reyes", "1966-06-01", bmi: 27.4m, lumbarSurgery: false),
        .. Member(SurgeryPatient, "Jordan", "Blake", "1970-02-11", bmi: 31.2m, lumbarSurgery: true),
    ];

    /// <summary>One member's record: Patient, commercial Coverage, a signed BVNA order, a BMI, and a lumbar surgery when asked for.</summary>
    public static IEnumerable<Resource> Member(string id, string given, string family, string birthDate, decimal bmi, bool lumbarSurgery)
    {
        yield return new Patient
        {
            Id = id,
            Identifier = [new Identifier("http://payer.test.example/member-id", $"M-{id}")],
            Name = [new HumanName { Family = family, Given = [given] }],
            Gender = AdministrativeGender.Male,
            BirthDate = birthDate,
        };
        yield return new Coverage
        {
            Id = $"{id}-coverage",
            Status = FinancialResourceStatusCodes.Active,
            Beneficiary = new ResourceReference($"Patient/{id}"),
            Payor = [new ResourceReference("Organization/health-plan")],
            Class = [new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = "MGB-COMMERCIAL" }],
        };
        yield return new ServiceRequest
        {
            Id = $"{id}-bvna",
            Status = RequestStatus.Active,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept(Cpt, "64628", "Basivertebral nerve ablation, first 2 vertebral bodies"),
            Subject = new ResourceReference($"Patient/{id}"),
            Requester = new ResourceReference("PractitionerRole/dr-osei-at-clinic"),
            Occurrence = new FhirDateTime(DateTimeOffset.UtcNow.AddDays(14).ToString("yyyy-MM-dd")),
            AuthoredOn = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd"),
        };
        yield return new Observation
        {
            Id = $"{id}-bmi",
            Status = ObservationStatus.Final,
            Code = new CodeableConcept("http://loinc.org", "39156-5", "Body mass index (BMI) [Ratio]"),
            Subject = new ResourceReference($"Patient/{id}"),
            Effective = new FhirDateTime(DateTimeOffset.UtcNow.AddDays(-20).ToString("yyyy-MM-dd")),
            Value = new Quantity(bmi, "kg/m2", "http://unitsofmeasure.org"),
        };
        if (lumbarSurgery)
        {
            yield return new Procedure
            {
                Id = $"{id}-laminectomy",
                Status = EventStatus.Completed,
                Code = new CodeableConcept(Cpt, "63030", "Laminotomy, lumbar, one interspace"),
                Subject = new ResourceReference($"Patient/{id}"),
                Performed = new FhirDateTime("2019-04-02"),
            };
        }
    }
}
