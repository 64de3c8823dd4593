using Hl7.Fhir.Model;

namespace SpinePolicy.Facts.Tests.Support;

/// <summary>A pas-request-bundle as an EHR sends it: the Claim first, the member, the orders, the answers.</summary>
public static class PasBundle
{
    public const string Base = "https://ehr.test.example/fhir";
    private const string PasProfile = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    private const string RequestedServiceUrl = PasProfile + "extension-requestedService";

    public static Bundle For(Member member, IReadOnlyList<Order> orders, IEnumerable<QuestionnaireResponse>? answers = null, string? created = null, string? claimIdentifier = null)
    {
        var patient = member.Patient();
        var coverage = member.Coverage();
        coverage.Payor = [new ResourceReference("Organization/insurer")];
        var insurer = new Organization
        {
            Id = "insurer",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1679576722")],
            Active = true,
            Name = "Spine Payer Health Plan",
            Type = [new CodeableConcept("https://codesystem.x12.org/005010/98", "PR")],
        };
        var requestor = new Organization
        {
            Id = "requestor",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1234567893")],
            Active = true,
            Name = "Spine Pain Clinic",
            Type = [new CodeableConcept("https://codesystem.x12.org/005010/98", "X3")],
        };
        var practitioner = new Practitioner
        {
            Id = "dr-1",
            Identifier = [new Identifier("http://hl7.org/fhir/sid/us-npi", "1245319599")],
            Name = [new HumanName { Family = "Doctor", Given = ["Pat"] }],
        };
        var claim = new Claim
        {
            Id = "claim",
            Identifier = [new Identifier("https://ehr.test.example/prior-auth", claimIdentifier ?? $"PA-{Guid.NewGuid():N}")],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference($"Patient/{member.Id}"),
            CreatedElement = new FhirDateTime(created ?? DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)),
            Insurer = new ResourceReference("Organization/insurer"),
            Provider = new ResourceReference("Organization/requestor"),
            Priority = new CodeableConcept("http://terminology.hl7.org/CodeSystem/processpriority", "normal"),
            CareTeam = [new Claim.CareTeamComponent { Sequence = 1, Provider = new ResourceReference("Practitioner/dr-1") }],
            Insurance = [new Claim.InsuranceComponent { Sequence = 1, Focal = true, Coverage = new ResourceReference($"Coverage/{coverage.Id}") }],
        };

        var requests = new List<ServiceRequest>();
        for (var i = 0; i < orders.Count; i++)
        {
            var order = orders[i];
            var request = order.ServiceRequest(member.Id);
            requests.Add(request);
            var item = new Claim.ItemComponent
            {
                Sequence = i + 1,
                CareTeamSequence = [1],
                Category = new CodeableConcept("https://codesystem.x12.org/005010/1365", "1"),
                ProductOrService = (CodeableConcept)request.Code!.DeepCopy(),
                Serviced = order.Serviced(),
                Quantity = order.Quantity is { } q ? new Quantity { Value = q } : null,
            };
            item.Extension.Add(new Extension(RequestedServiceUrl, new ResourceReference($"ServiceRequest/{request.Id}")));
            claim.Item.Add(item);
        }

        var responses = (answers ?? []).Select((qr, i) =>
        {
            var copy = (QuestionnaireResponse)qr.DeepCopy();
            copy.Id = $"qr-{i + 1}";
            copy.Contained.Clear();
            copy.Extension.RemoveAll(e => e.Url?.EndsWith("/qr-context", StringComparison.Ordinal) ?? false);
            claim.SupportingInfo.Add(new Claim.SupportingInformationComponent
            {
                Sequence = i + 1,
                Category = new CodeableConcept("http://hl7.org/fhir/us/davinci-pas/CodeSystem/PASTempCodes", "additionalInformation"),
                Value = new ResourceReference($"QuestionnaireResponse/{copy.Id}"),
            });
            return copy;
        }).ToList();

        var bundle = new Bundle
        {
            Identifier = new Identifier("https://ehr.test.example/bundles", $"B-{Guid.NewGuid():N}"),
            Type = Bundle.BundleType.Collection,
            TimestampElement = new Instant(DateTimeOffset.UtcNow),
        };
        foreach (var resource in new Resource[] { claim, patient, coverage, insurer, requestor, practitioner }.Concat(requests).Concat(responses))
        {
            bundle.Entry.Add(new Bundle.EntryComponent { FullUrl = $"{Base}/{resource.TypeName}/{resource.Id}", Resource = resource });
        }

        return bundle;
    }
}
