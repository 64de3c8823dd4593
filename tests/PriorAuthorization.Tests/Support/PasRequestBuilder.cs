using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>One line of a test claim: a CPT code, units, and optionally a CRD assertion id on its order.</summary>
public sealed record TestLine(string Cpt, int Units = 1, string? CoverageAssertionId = null, bool Cancelled = false);

/// <summary>
/// Builds pas-request-bundles the way an EHR sends them (Claim first, Patient, Coverage, insurer,
/// requesting organization, practitioner, ServiceRequests, QuestionnaireResponses as entries), with
/// the member's plan and birth date and the claim's lines chosen by the test.
/// </summary>
public sealed class PasRequestBuilder
{
    public const string Base = "https://ehr.test.example/fhir";
    public const string CptSystem = "http://www.ama-assn.org/go/cpt";

    private readonly List<TestLine> _lines = [];
    private readonly List<QuestionnaireResponse> _responses = [];

    public string Plan { get; set; } = "MGB-COMMERCIAL";

    public string BirthDate { get; set; } = "1970-03-14";

    /// <summary>
    /// The member's Patient id: a new member per builder, because the payer's decisions on a
    /// member's earlier requests count for the next ones (P7.16, P8). Set it to submit for one member twice.
    /// </summary>
    public string PatientId { get; set; } = $"member-{Guid.NewGuid():N}"[..20];

    public string ServiceDate { get; set; } = "2026-03-02";

    public string ClaimIdentifier { get; set; } = $"PA-{Guid.NewGuid():N}";

    public string BundleIdentifier { get; set; } = $"B-{Guid.NewGuid():N}";

    public string RequestorIdentifier { get; set; } = "1234567893";

    /// <summary>NPI of the practitioner in the care team (the rendering provider).</summary>
    public string CareTeamIdentifier { get; set; } = "1245319599";

    public string? ReplacesClaimIdentifier { get; set; }

    /// <summary>Claim.priority (processpriority): "stat" asks for an expedited decision.</summary>
    public string Priority { get; set; } = "normal";

    /// <summary>Coverage.status (active unless a test says otherwise).</summary>
    public FinancialResourceStatusCodes CoverageStatus { get; set; } = FinancialResourceStatusCodes.Active;

    /// <summary>Coverage.period; none (open-ended) unless a test sets one.</summary>
    public Period? CoveragePeriod { get; set; }

    public bool ContainQuestionnaireResponses { get; set; }

    /// <summary>X12 1322 certification type on every item (PAS extension-certificationType): "1"/"2" make the request an appeal.</summary>
    public string? CertificationType { get; set; }

    public PasRequestBuilder Line(string cpt, int units = 1, string? assertionId = null, bool cancelled = false)
    {
        _lines.Add(new TestLine(cpt, units, assertionId, cancelled));
        return this;
    }

    public PasRequestBuilder WithAnswers(QuestionnaireResponse response)
    {
        _responses.Add(response);
        return this;
    }

    public Bundle Build()
    {
        var patient = new Patient
        {
            Id = PatientId,
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-beneficiary"] },
            Identifier = [new Identifier("http://payer.test.example/member-id", "M-0001")],
            Name = [new HumanName { Family = "Testmember", Given = ["Alex"] }],
            Gender = AdministrativeGender.Female,
            BirthDate = BirthDate,
        };
        var insurer = new Organization
        {
            Id = "insurer",
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-insurer"] },
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1679576722")],
            Active = true,
            Name = "Spine Payer Health Plan",
            Type = [new CodeableConcept("https://codesystem.x12.org/005010/98", "PR")],
        };
        var requestor = new Organization
        {
            Id = "requestor",
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-requestor"] },
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", RequestorIdentifier)],
            Active = true,
            Name = "Spine Pain Clinic",
            Type = [new CodeableConcept("https://codesystem.x12.org/005010/98", "X3")],
        };
        var practitioner = new Practitioner
        {
            Id = "pain-doctor",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", CareTeamIdentifier)],
            Name = [new HumanName { Family = "Doctor", Given = ["Pat"] }],
        };
        var coverage = new Coverage
        {
            Id = "coverage",
            Status = CoverageStatus,
            Period = CoveragePeriod,
            Beneficiary = new ResourceReference($"Patient/{PatientId}"),
            Payor = [new ResourceReference("Organization/insurer")],
            Class =
            [
                new Coverage.ClassComponent
                {
                    Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/coverage-class", "plan"),
                    Value = Plan,
                },
            ],
        };

        var claim = new Claim
        {
            Id = "claim",
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claim"] },
            Identifier = [new Identifier("https://ehr.test.example/prior-auth", ClaimIdentifier)],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference($"Patient/{PatientId}"),
            CreatedElement = new FhirDateTime(ServiceDate),
            Insurer = new ResourceReference("Organization/insurer"),
            Provider = new ResourceReference("Organization/requestor"),
            Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", Priority),
            CareTeam = [new Claim.CareTeamComponent { Sequence = 1, Provider = new ResourceReference("Practitioner/pain-doctor") }],
            Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference("Coverage/coverage") }],
        };
        if (ReplacesClaimIdentifier is not null)
        {
            claim.Related.Add(new Claim.RelatedClaimComponent
            {
                Claim = new ResourceReference { Identifier = new Identifier("https://ehr.test.example/prior-auth", ReplacesClaimIdentifier) },
                Relationship = new CodeableConcept("http://terminology.hl7.org/CodeSystem/ex-relatedclaimrelationship", "prior"),
            });
        }

        var orders = new List<ServiceRequest>();
        for (var i = 0; i < _lines.Count; i++)
        {
            var line = _lines[i];
            var order = new ServiceRequest
            {
                Id = $"order-{i + 1}",
                Status = RequestStatus.Active,
                Intent = RequestIntent.Order,
                Code = new CodeableConcept(CptSystem, line.Cpt),
                Subject = new ResourceReference($"Patient/{PatientId}"),
                Quantity = new Quantity { Value = line.Units },
            };
            if (line.CoverageAssertionId is not null)
            {
                var info = new Extension { Url = SpinePolicy.Fhir.CoverageInformation.CoverageInformationExtension.Url };
                info.Extension.Add(new Extension("coverage", new ResourceReference("Coverage/coverage")));
                info.Extension.Add(new Extension("covered", new Code("covered")));
                info.Extension.Add(new Extension("pa-needed", new Code("auth-needed")));
                info.Extension.Add(new Extension("date", new Date(ServiceDate)));
                info.Extension.Add(new Extension("coverage-assertion-id", new FhirString(line.CoverageAssertionId)));
                order.Extension.Add(info);
            }

            orders.Add(order);
            var item = new Claim.ItemComponent
            {
                Sequence = i + 1,
                CareTeamSequence = [1],
                Category = new CodeableConcept("https://codesystem.x12.org/005010/1365", "1"),
                ProductOrService = new CodeableConcept(CptSystem, line.Cpt),
                Serviced = new Date(ServiceDate),
                Quantity = new Quantity { Value = line.Units },
            };
            item.Extension.Add(new Extension(PasCodes.RequestedServiceUrl, new ResourceReference($"ServiceRequest/order-{i + 1}")));
            if (CertificationType is not null)
            {
                item.Extension.Add(new Extension(PasCodes.CertificationTypeUrl, new CodeableConcept(PasCodes.X12CertificationTypeSystem, CertificationType)));
            }
            if (line.Cancelled)
            {
                item.ModifierExtension.Add(new Extension(PasCodes.InfoCancelledUrl, new FhirBoolean(true)));
            }

            claim.Item.Add(item);
        }

        var bundle = new Bundle
        {
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-pas-request-bundle"] },
            Identifier = new Identifier("https://ehr.test.example/bundles", BundleIdentifier),
            Type = Bundle.BundleType.Collection,
            TimestampElement = new Instant(DateTimeOffset.UtcNow),
        };
        for (var i = 0; i < _responses.Count; i++)
        {
            var qr = (QuestionnaireResponse)_responses[i].DeepCopy();
            qr.Id = $"qr-{i + 1}";
            var info = new Claim.SupportingInformationComponent
            {
                Sequence = i + 1,
                Category = new CodeableConcept("http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes", "additionalInformation"),
            };
            if (ContainQuestionnaireResponses)
            {
                claim.Contained.Add(qr);
                info.Value = new ResourceReference($"#{qr.Id}");
            }
            else
            {
                info.Value = new ResourceReference($"QuestionnaireResponse/{qr.Id}");
            }

            claim.SupportingInfo.Add(info);
        }

        Add(bundle, claim);
        Add(bundle, patient);
        Add(bundle, coverage);
        Add(bundle, insurer);
        Add(bundle, requestor);
        Add(bundle, practitioner);
        foreach (var order in orders)
        {
            Add(bundle, order);
        }

        if (!ContainQuestionnaireResponses)
        {
            foreach (var info in claim.SupportingInfo)
            {
                var id = ((ResourceReference)info.Value!).Reference!["QuestionnaireResponse/".Length..];
                var qr = (QuestionnaireResponse)_responses[int.Parse(id["qr-".Length..], System.Globalization.CultureInfo.InvariantCulture) - 1].DeepCopy();
                qr.Id = id;
                Add(bundle, qr);
            }
        }

        return bundle;
    }

    private static void Add(Bundle bundle, Resource resource) =>
        bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{Base}/{resource.TypeName}/{resource.Id}", Resource = resource });
}
