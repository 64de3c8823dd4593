using Hl7.Fhir.Model;

namespace SpinePolicy.CdsHooks.Tests.Support;

/// <summary>Builds the FHIR resources a hook request carries: a member, their Coverage, orders.</summary>
public static class CrdTestData
{
    public const string CptSystem = "http://www.ama-assn.org/go/cpt";
    public const string OurPayor = "Organization/mgbhp";
    public const string PatientId = "pat-1";

    public static Patient Patient(int ageYears, string id = PatientId)
    {
        // Born a month after today's date ageYears ago → exactly ageYears old until then... so use a
        // date safely inside the year: birthday passed 10 days ago.
        var birth = DateTime.UtcNow.Date.AddDays(-10).AddYears(-ageYears);
        return new Patient
        {
            Id = id,
            Identifier = [new Identifier("http://ehr.test.example/mrn", "MRN-" + id)],
            Name = [new HumanName { Family = "Test", Given = ["Member"] }],
            Gender = AdministrativeGender.Unknown,
            BirthDate = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        };
    }

    /// <summary>A Patient who turns <paramref name="ageYears"/> tomorrow (so is ageYears − 1 today).</summary>
    public static Patient PatientTurningTomorrow(int ageYears, string id = PatientId)
    {
        var birth = DateTime.UtcNow.Date.AddDays(1).AddYears(-ageYears);
        var patient = Patient(0, id);
        patient.BirthDate = birth.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return patient;
    }

    public static Coverage Coverage(string plan, string id = "cov-1", string payor = OurPayor, string patientId = PatientId) => new()
    {
        Id = id,
        Status = FinancialResourceStatusCodes.Active,
        Beneficiary = new ResourceReference($"Patient/{patientId}"),
        Payor = [new ResourceReference(payor)],
        Class =
        [
            new Coverage.ClassComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                Value = plan,
            },
        ],
    };

    public static ServiceRequest Order(string cpt, string id, int? units = null, string patientId = PatientId)
    {
        var request = new ServiceRequest
        {
            Id = id,
            Status = RequestStatus.Draft,
            Intent = RequestIntent.Order,
            Code = new CodeableConcept(CptSystem, cpt),
            Subject = new ResourceReference($"Patient/{patientId}"),
            AuthoredOn = "2026-01-15",
            Requester = new ResourceReference("Practitioner/dr-1"),
        };
        if (units is { } u)
        {
            request.Quantity = new Quantity(u, "1", "http://unitsofmeasure.org");
        }

        return request;
    }

    public static Appointment Appointment(string id, params string[] basedOn) => new()
    {
        Id = id,
        Status = Hl7.Fhir.Model.Appointment.AppointmentStatus.Proposed,
        Start = new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero),
        RequestedPeriod = [new Period(new FhirDateTime(2026, 3, 1), new FhirDateTime(2026, 3, 31))],
        BasedOn = basedOn.Select(b => new ResourceReference(b)).ToList(),
        Participant =
        [
            new Hl7.Fhir.Model.Appointment.ParticipantComponent
            {
                Actor = new ResourceReference($"Patient/{PatientId}"),
                Status = ParticipationStatus.Accepted,
            },
        ],
    };

    public static Bundle Collection(params Resource[] resources) => new()
    {
        Type = Bundle.BundleType.Collection,
        Entry = resources.Select(r => new Bundle.EntryComponent { Resource = r }).ToList(),
    };

    public static Bundle Searchset(params Resource[] resources) => new()
    {
        Type = Bundle.BundleType.Searchset,
        Entry = resources.Select(r => new Bundle.EntryComponent { FullUrl = $"http://ehr.test.example/fhir/{r.TypeName}/{r.Id}", Resource = r }).ToList(),
    };
}
