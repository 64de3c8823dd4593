using Hl7.Fhir.Model;
using SpinePolicy.FhirRest.PayerToPayer;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>Test resources, each with fresh identifiers so that tests never see each other's data.</summary>
public static class FhirData
{
    public const string OurPayerId = "SPINEPOLICY-PAYER";
    public const string NewPayerId = "NEW-PAYER-42";
    public const string MemberIdSystem = "https://spinepolicy.example.org/fhir/sid/member-id";

    public static string Unique(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 17)];

    /// <summary>A CRD coverage assertion as the CDS Hooks slice stores it: facet injection, commercial, PA needed.</summary>
    public static SpinePolicy.Storage.CoverageAssertion CoverageAssertion(string assertionId, string patientId) => new()
    {
        AssertionId = assertionId,
        OrderReference = "ServiceRequest/sr-1",
        PatientId = patientId,
        CoverageReference = "Coverage/c-1",
        CptCode = "64483",
        ProductLine = "commercial",
        Covered = "conditional",
        PaNeeded = "auth-needed",
        DocumentationNeeded = true,
        QuestionnaireCanonical = "https://spinepolicy.example.org/fhir/Questionnaire/policy-097|1.0.0",
        PolicyVersion = "2026-01",
        Hook = "order-sign",
        AssertedAt = DateTimeOffset.UtcNow,
    };

    public static Patient Patient(string family, string given, string birthDate, AdministrativeGender gender = AdministrativeGender.Female, string? memberId = null)
    {
        var patient = new Patient
        {
            Name = [new HumanName { Family = family, Given = [given] }],
            BirthDate = birthDate,
            Gender = gender,
        };
        if (memberId is not null)
        {
            patient.Identifier.Add(new Identifier(MemberIdSystem, memberId)
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v2-0203", "MB"),
            });
        }

        return patient;
    }

    public static Coverage Coverage(string patientId, string memberId, FinancialResourceStatusCodes status = FinancialResourceStatusCodes.Active) => new()
    {
        Status = status,
        Identifier = [new Identifier(MemberIdSystem, memberId)],
        SubscriberId = memberId,
        Beneficiary = new ResourceReference("Patient/" + patientId),
        Payor = [new ResourceReference { Identifier = new Identifier("urn:oid:2.16.840.1.113883.3.0", OurPayerId) }],
    };

    /// <summary>The CoverageToMatch a new payer sends: the member's old card (our member id).</summary>
    public static Coverage CardCoverage(string memberId, bool asSubscriberIdOnly = false)
    {
        var coverage = new Coverage
        {
            Status = FinancialResourceStatusCodes.Active,
            Beneficiary = new ResourceReference("Patient/1"),
            Payor = [new ResourceReference { Identifier = new Identifier(null, OurPayerId), Display = "SpinePolicy payer" }],
        };
        if (asSubscriberIdOnly)
        {
            coverage.SubscriberId = memberId;
        }
        else
        {
            coverage.Identifier = [new Identifier(MemberIdSystem, memberId)];
        }

        return coverage;
    }

    public static Consent Consent(DateTimeOffset start, DateTimeOffset end, string policy = ConsentEvaluator.RegularPolicy, string sourcePayer = OurPayerId, string recipientPayer = NewPayerId) => new()
    {
        Status = Hl7.Fhir.Model.Consent.ConsentState.Active,
        Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
        Category = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ActCode", "IDSCL")],
        Patient = new ResourceReference("Patient/1"),
        Performer = [new ResourceReference("Patient/1")],
        Source = new ResourceReference { Display = "Signed consent form" },
        Policy = [new Hl7.Fhir.Model.Consent.PolicyComponent { Uri = policy }],
        Provision = new Hl7.Fhir.Model.Consent.provisionComponent
        {
            Type = Hl7.Fhir.Model.Consent.ConsentProvisionType.Permit,
            Period = new Period { Start = start.ToString("yyyy-MM-dd"), End = end.ToString("yyyy-MM-dd") },
            Actor =
            [
                new Hl7.Fhir.Model.Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/provenance-participant-type", "performer"),
                    Reference = new ResourceReference { Identifier = new Identifier(null, sourcePayer), Display = "Old payer" },
                },
                new Hl7.Fhir.Model.Consent.provisionActorComponent
                {
                    Role = new CodeableConcept("http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "IRCP"),
                    Reference = new ResourceReference { Identifier = new Identifier(null, recipientPayer), Display = "New payer" },
                },
            ],
            Action = [new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentaction", "disclose")],
        },
    };

    public static Consent CurrentConsent() => Consent(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

    public static Parameters MemberMatch(Patient memberPatient, Coverage coverageToMatch, Consent consent, Coverage? coverageToLink = null)
    {
        var patient = (Patient)memberPatient.DeepCopy();
        patient.Id = "1";

        // The requesting payer knows the member by its own id (US Core requires an identifier).
        if (patient.Identifier.Count == 0)
        {
            patient.Identifier.Add(new Identifier("https://new-payer.example/fhir/sid/member-id", "NP-" + Guid.NewGuid().ToString("N")[..8]));
        }

        var parameters = new Parameters
        {
            Meta = new Meta { Profile = [PayerToPayerEndpoints.MemberMatchInProfile] },
        };
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "MemberPatient", Resource = patient });
        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "CoverageToMatch", Resource = coverageToMatch });
        if (coverageToLink is not null)
        {
            parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "CoverageToLink", Resource = coverageToLink });
        }

        parameters.Parameter.Add(new Parameters.ParameterComponent { Name = "Consent", Resource = consent });
        return parameters;
    }

    public static Claim Claim(string patientId, string cpt = "64483") => new()
    {
        Status = FinancialResourceStatusCodes.Active,
        Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
        Use = ClaimUseCode.Preauthorization,
        Patient = new ResourceReference("Patient/" + patientId),
        Created = "2026-11-01",
        Insurer = new ResourceReference { Display = "SpinePolicy payer" },
        Provider = new ResourceReference { Display = "Spine clinic" },
        Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
        Identifier = [new Identifier("https://ehr.test.example/claims", Unique("claim"))],
        Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference("Coverage/c1") }],
        Item = [new Claim.ItemComponent { Sequence = 1, ProductOrService = new CodeableConcept("http://www.ama-assn.org/go/cpt", cpt) }],
    };

    /// <summary>A PAS-style decision: X12 306 review action A1 (certified), A3 (not certified) or A4 (pended).</summary>
    public static ClaimResponse Decision(string patientId, string claimId, string reviewAction, DateTimeOffset? authorizedUntil = null,
        FinancialResourceStatusCodes status = FinancialResourceStatusCodes.Active, ClaimUseCode use = ClaimUseCode.Preauthorization)
    {
        var adjudication = new ClaimResponse.AdjudicationComponent
        {
            Category = new CodeableConcept("http://terminology.hl7.org/CodeSystem/adjudication", "submitted"),
        };
        var reviewActionExtension = new Extension { Url = PriorAuthorizationStatus.ReviewActionUrl };
        reviewActionExtension.Extension.Add(new Extension(PriorAuthorizationStatus.ReviewActionCodeUrl,
            new CodeableConcept(PriorAuthorizationStatus.X12ReviewActionSystem, reviewAction)));
        adjudication.Extension.Add(reviewActionExtension);

        return new ClaimResponse
        {
            Status = status,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = use,
            Patient = new ResourceReference("Patient/" + patientId),
            Created = "2026-11-02",
            Insurer = new ResourceReference { Display = "SpinePolicy payer" },
            Request = new ResourceReference("Claim/" + claimId),
            Outcome = reviewAction == "A4" ? ClaimProcessingCodes.Queued : ClaimProcessingCodes.Complete,
            PreAuthRef = Unique("auth"),
            PreAuthPeriod = authorizedUntil is { } until ? new Period { Start = "2026-01-01", End = until.ToString("yyyy-MM-dd") } : null,
            Identifier = [new Identifier("https://spinepolicy.example.org/fhir/sid/claim-response", Unique("cr"))],
            Item = [new ClaimResponse.ItemComponent { ItemSequence = 1, Adjudication = [adjudication] }],
        };
    }
}
