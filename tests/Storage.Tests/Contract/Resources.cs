using Hl7.Fhir.Model;

namespace SpinePolicy.Storage.Tests.Contract;

/// <summary>Small resources for the store tests; each test passes its own unique values.</summary>
public static class Resources
{
    public static string NewPatientId() => "p" + Guid.NewGuid().ToString("N")[..16];

    public static Claim Claim(string patientId, string? identifier = null, string created = "2026-03-01", FinancialResourceStatusCodes status = FinancialResourceStatusCodes.Active) => new()
    {
        Status = status,
        Use = ClaimUseCode.Preauthorization,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
        Patient = new ResourceReference($"Patient/{patientId}"),
        CreatedElement = new FhirDateTime(created),
        Provider = new ResourceReference("Organization/provider"),
        Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference("Coverage/c1") }],
        Identifier = identifier is null ? [] : [new Identifier("https://ehr.example.org/claims", identifier)],
    };

    public static ClaimResponse ClaimResponse(string patientId, ClaimProcessingCodes outcome) => new()
    {
        Status = FinancialResourceStatusCodes.Active,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
        Use = ClaimUseCode.Preauthorization,
        Patient = new ResourceReference($"Patient/{patientId}"),
        CreatedElement = new FhirDateTime("2026-03-01"),
        Insurer = new ResourceReference("Organization/payer"),
        Outcome = outcome,
    };

    /// <summary>A resource of the type whose patient reference the store must index.</summary>
    public static Resource WithPatient(string resourceType, string patientId)
    {
        var patient = new ResourceReference($"Patient/{patientId}");
        return resourceType switch
        {
            "Patient" => new Patient { Id = patientId },
            "Claim" => Claim(patientId),
            "ClaimResponse" => new ClaimResponse { Patient = patient, Status = FinancialResourceStatusCodes.Active },
            "QuestionnaireResponse" => new QuestionnaireResponse { Subject = patient, Status = QuestionnaireResponse.QuestionnaireResponseStatus.Completed },
            "Coverage" => new Coverage { Beneficiary = patient, Status = FinancialResourceStatusCodes.Active },
            "ExplanationOfBenefit" => new ExplanationOfBenefit { Patient = patient },
            "Consent" => new Consent { Patient = patient },
            "AuditEvent" => new AuditEvent { Entity = [new AuditEvent.EntityComponent { What = new ResourceReference("Claim/x") }, new AuditEvent.EntityComponent { What = patient }] },
            _ => throw new ArgumentOutOfRangeException(nameof(resourceType), resourceType, null),
        };
    }
}
