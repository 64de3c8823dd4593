using System.Text.Json.Nodes;
using Hl7.Fhir.Model;
using SpinePolicy.Fhir;
using SpinePolicy.TestKit;

namespace SpinePolicy.Reliability.Tests.Fuzzing;

/// <summary>
/// Valid requests for each endpoint family, the starting points the fuzzers mutate: our own
/// policy-097 requests (built with Firely types) plus the Inferno test clients' fixtures.
/// The member below is invented; its name, birth date and member id are what the log scans look for.
/// </summary>
public static class ValidRequests
{
    public const string PatientId = "pat-097-rel";
    public const string FamilyName = "Quixleyworth";
    public const string GivenName = "Marguerite";
    public const string BirthDate = "1968-04-17";
    public const string MemberId = "MGBM55501234";

    public static string[] PhiValues => [FamilyName, GivenName, BirthDate, MemberId];

    public static Patient Patient() => new()
    {
        Id = PatientId,
        Name = [new HumanName { Family = FamilyName, Given = [GivenName] }],
        BirthDate = BirthDate,
        Gender = AdministrativeGender.Female,
        Identifier = [new Identifier("https://spinepolicy.example.org/fhir/NamingSystem/member-id", MemberId)],
    };

    public static Coverage Coverage(string id = "cov-097-rel", string plan = "MGB-COMMERCIAL") => new()
    {
        Id = id,
        Status = FinancialResourceStatusCodes.Active,
        SubscriberId = MemberId,
        Subscriber = new ResourceReference($"Patient/{PatientId}"),
        Beneficiary = new ResourceReference($"Patient/{PatientId}"),
        Relationship = new CodeableConcept("http://terminology.hl7.org/CodeSystem/subscriber-relationship", "self"),
        Payor = [new ResourceReference("Organization/payer-mgb")],
        Class =
        [
            new Coverage.ClassComponent
            {
                Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                Value = plan,
            },
        ],
    };

    public static ServiceRequest ServiceRequest(string id = "sr-097-rel", string cpt = "64628") => new()
    {
        Id = id,
        Status = RequestStatus.Draft,
        Intent = RequestIntent.Order,
        Code = new CodeableConcept("http://www.ama-assn.org/go/cpt", cpt),
        Subject = new ResourceReference($"Patient/{PatientId}"),
        Requester = new ResourceReference("Practitioner/prac-rel"),
        Insurance = [new ResourceReference("Coverage/cov-097-rel")],
    };

    public static Organization Payer() => new()
    {
        Id = "payer-mgb",
        Name = "Mass General Brigham Health Plan",
        Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1234567893")],
    };

    public static Practitioner Practitioner() => new()
    {
        Id = "prac-rel",
        Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1987654321")],
        Name = [new HumanName { Family = "Careful", Given = ["Adam"] }],
    };

    /// <summary>A policy-097 order-sign call with the member's Patient and Coverage prefetched.</summary>
    public static JsonObject OrderSign(string fhirServer)
    {
        var draftOrders = new Bundle { Type = Bundle.BundleType.Collection, Entry = [new Bundle.EntryComponent { Resource = ServiceRequest() }] };
        var coverageBundle = new Bundle { Type = Bundle.BundleType.Searchset, Entry = [new Bundle.EntryComponent { Resource = Coverage() }] };
        return new JsonObject
        {
            ["hookInstance"] = Guid.NewGuid().ToString(),
            ["hook"] = "order-sign",
            ["fhirServer"] = fhirServer,
            ["fhirAuthorization"] = new JsonObject
            {
                ["access_token"] = "ehr-token",
                ["token_type"] = "Bearer",
                ["expires_in"] = 300,
                ["scope"] = "user/Patient.read user/Coverage.read",
                ["subject"] = "spinepolicy",
            },
            ["context"] = new JsonObject
            {
                ["userId"] = "Practitioner/prac-rel",
                ["patientId"] = PatientId,
                ["draftOrders"] = Node(draftOrders),
            },
            ["prefetch"] = new JsonObject
            {
                ["patient"] = Node(Patient()),
                ["coverage"] = Node(coverageBundle),
                ["coverageBundle"] = Node(coverageBundle),
            },
        };
    }

    public static Parameters QuestionnairePackage() => new()
    {
        Parameter =
        [
            new Parameters.ParameterComponent { Name = "coverage", Resource = Coverage() },
            new Parameters.ParameterComponent { Name = "order", Resource = ServiceRequest() },
        ],
    };

    public static Parameters NextQuestion() => new()
    {
        Parameter =
        [
            new Parameters.ParameterComponent
            {
                Name = "questionnaire-response",
                Resource = new QuestionnaireResponse
                {
                    Id = "qr-097-rel",
                    Status = QuestionnaireResponse.QuestionnaireResponseStatus.InProgress,
                    Questionnaire = "https://spinepolicy.example.org/fhir/Questionnaire/bvna-097|2026.01.1",
                    Subject = new ResourceReference($"Patient/{PatientId}"),
                    Authored = "2026-11-27T10:00:00Z",
                },
            },
        ],
    };

    /// <summary>A PAS request Bundle for BVNA (64628) with the usual participants.</summary>
    public static Bundle PasRequest(string identifier = "rel-claim-1")
    {
        var claim = new Claim
        {
            Id = "claim-rel",
            Identifier = [new Identifier("https://provider.example/claims", identifier)],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference($"Patient/{PatientId}"),
            Created = "2026-11-27T10:00:00Z",
            Insurer = new ResourceReference("Organization/payer-mgb"),
            Provider = new ResourceReference("Practitioner/prac-rel"),
            Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
            Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference("Coverage/cov-097-rel") }],
            Item =
            [
                new Claim.ItemComponent
                {
                    Sequence = 1,
                    Category = new CodeableConcept("https://codesystem.x12.org/005010/1365", "73"),
                    ProductOrService = new CodeableConcept("http://www.ama-assn.org/go/cpt", "64628"),
                    Quantity = new Quantity { Value = 1 },
                    Extension = [new Extension("http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-requestedService", new ResourceReference("ServiceRequest/sr-097-rel"))],
                },
            ],
        };
        return new Bundle
        {
            Type = Bundle.BundleType.Collection,
            Identifier = new Identifier("https://provider.example/bundles", identifier),
            Timestamp = DateTimeOffset.Parse("2026-11-27T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
            Entry =
            [
                Entry(claim), Entry(Patient()), Entry(Coverage()), Entry(Payer()), Entry(Practitioner()), Entry(ServiceRequest()),
            ],
        };
    }

    public static Parameters MemberMatch() => new()
    {
        Parameter =
        [
            new Parameters.ParameterComponent { Name = "MemberPatient", Resource = Patient() },
            new Parameters.ParameterComponent { Name = "CoverageToMatch", Resource = Coverage("old-cov", "MGB-COMMERCIAL") },
            new Parameters.ParameterComponent { Name = "CoverageToLink", Resource = Coverage("new-cov", "OTHER-PLAN") },
            new Parameters.ParameterComponent
            {
                Name = "Consent",
                Resource = new Consent
                {
                    Status = Consent.ConsentState.Active,
                    Scope = new CodeableConcept("http://terminology.hl7.org/CodeSystem/consentscope", "patient-privacy"),
                    Category = [new CodeableConcept("http://loinc.org", "64292-6")],
                    Patient = new ResourceReference($"Patient/{PatientId}"),
                    Performer = [new ResourceReference($"Patient/{PatientId}")],
                    Policy = [new Consent.PolicyComponent { Uri = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html#regular" }],
                    Provision = new Consent.provisionComponent { Type = Consent.ConsentProvisionType.Permit },
                },
            },
        ],
    };

    public static byte[] Bytes(Resource resource) => FhirJson.SerializeToUtf8Bytes(resource);

    public static JsonNode Node(Resource resource) => JsonNode.Parse(FhirJson.SerializeToUtf8Bytes(resource))!;

    public static byte[] Inferno(string relativePath) => File.ReadAllBytes(Path.Combine(RepositoryPaths.InfernoFixtures, relativePath));

    private static Bundle.EntryComponent Entry(Resource resource) => new()
    {
        FullUrl = $"http://provider.example/fhir/{resource.TypeName}/{resource.Id}",
        Resource = resource,
    };
}
