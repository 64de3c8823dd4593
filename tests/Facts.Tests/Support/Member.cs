using Hl7.Fhir.Model;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>The member of a test case: birth date (full or partial, or none) and plan.</summary>
public sealed record Member(string? BirthDate, string Plan = "MGB-COMMERCIAL", string Id = "member-1", AdministrativeGender Gender = AdministrativeGender.Male)
{
    public const string CoverageClassSystem = "http://terminology.hl7.org/CodeSystem/coverage-class";

    public Patient Patient() => new()
    {
        Id = Id,
        Identifier = [new Identifier("http://payer.test.example/member-id", $"M-{Id}")],
        Name = [new HumanName { Family = "Testmember", Given = ["Sam"] }],
        Gender = Gender,
        BirthDate = BirthDate,
    };

    public Coverage Coverage(string id = "coverage-1") => new()
    {
        Id = id,
        Status = FinancialResourceStatusCodes.Active,
        SubscriberId = $"M-{Id}",
        Beneficiary = new ResourceReference($"Patient/{Id}"),
        Payor = [new ResourceReference("Organization/insurer") { Display = "Spine Payer Health Plan" }],
        Class = [new Coverage.ClassComponent { Type = new CodeableConcept(CoverageClassSystem, "plan"), Value = Plan }],
    };
}
