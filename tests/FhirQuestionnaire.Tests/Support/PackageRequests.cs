using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Tests.Support;

/// <summary>$questionnaire-package inputs as a DTR app builds them.</summary>
public static class PackageRequests
{
    public const string Path = "/fhir/Questionnaire/$questionnaire-package";

    public static Coverage Coverage(string patientId, string plan = "MGB-COMMERCIAL") => new()
    {
        Id = $"coverage-{patientId}",
        Status = FinancialResourceStatusCodes.Active,
        Beneficiary = new ResourceReference($"Patient/{patientId}"),
        Payor = [new ResourceReference { Display = "SpinePolicy health plan" }],
        Class = [new Coverage.ClassComponent { Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"), Value = plan }],
    };

    public static Patient Patient(string id, string birthDate) => new() { Id = id, BirthDate = birthDate, Gender = AdministrativeGender.Female };

    public static ServiceRequest Order(string id, string patientId, string cptCode) => new()
    {
        Id = id,
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept("http://www.ama-assn.org/go/cpt", cptCode),
        Subject = new ResourceReference($"Patient/{patientId}"),
    };

    public static Parameters For(Coverage? coverage, params (string Name, Base Value)[] parameters)
    {
        var input = new Parameters();
        if (coverage is not null)
        {
            input.Parameter.Add(new Parameters.ParameterComponent { Name = "coverage", Resource = coverage });
        }

        foreach (var (name, value) in parameters)
        {
            input.Parameter.Add(value is Resource resource
                ? new Parameters.ParameterComponent { Name = name, Resource = resource }
                : new Parameters.ParameterComponent { Name = name, Value = (DataType)value });
        }

        return input;
    }

    public static IEnumerable<Bundle> Bundles(Parameters output) =>
        output.Parameter.Where(p => p.Name == "PackageBundle").Select(p => Assert.IsType<Bundle>(p.Resource));

    public static OperationOutcome? OutcomeOf(Parameters output) =>
        output.Parameter.FirstOrDefault(p => p.Name == "operationOutcome")?.Resource as OperationOutcome;
}
