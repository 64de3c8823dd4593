using Hl7.Fhir.Model;

namespace SpinePolicy.Seed;

/// <summary>
/// Builds stored prior-authorization decisions (ClaimResponses) shaped like the ones PAS returns:
/// one per Claim, spread over many patients, a mix of approvals, denials and pended reviews.
/// </summary>
internal static class DecisionFactory
{
    private const string X12ReviewActionSystem = "https://codesystem.x12.org/005010/306";
    private const string ReviewActionExtension = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewAction";
    private const string ReviewActionCodeExtension = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/extension-reviewActionCode";

    public static string PatientId(int patient) => $"bench-patient-{patient:D6}";

    public static ClaimResponse Create(int index, int patientCount, DateTimeOffset now)
    {
        var patient = index % patientCount;
        var (action, outcome) = (index % 10) switch
        {
            < 7 => ("A1", ClaimProcessingCodes.Complete), // certified in total
            < 9 => ("A3", ClaimProcessingCodes.Complete), // not certified
            _ => ("A4", ClaimProcessingCodes.Queued), // pended
        };

        var created = now.AddMinutes(-index);
        return new ClaimResponse
        {
            Id = $"bench-decision-{index:D7}",
            Meta = new Meta { Profile = ["http://hl7.org/fhir/us/davinci-pas/StructureDefinition/profile-claimresponse"] },
            Identifier = [new Identifier("https://spinepolicy.example.org/fhir/sid/decision", $"D{index:D9}")],
            Status = FinancialResourceStatusCodes.Active,
            Type = new CodeableConcept("http://terminology.hl7.org/CodeSystem/claim-type", "professional"),
            Use = ClaimUseCode.Preauthorization,
            Patient = new ResourceReference($"Patient/{PatientId(patient)}"),
            Created = created.ToString("yyyy-MM-ddTHH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture),
            Insurer = new ResourceReference("Organization/spinepolicy-payer"),
            Requestor = new ResourceReference($"Organization/bench-provider-{patient % 50:D3}"),
            Request = new ResourceReference($"Claim/bench-claim-{index:D7}"),
            Outcome = outcome,
            PreAuthRef = action == "A1" ? $"PA-{index:D9}" : null,
            Item =
            [
                new ClaimResponse.ItemComponent
                {
                    ItemSequence = 1,
                    Adjudication =
                    [
                        new ClaimResponse.AdjudicationComponent
                        {
                            Category = new CodeableConcept("http://terminology.hl7.org/CodeSystem/adjudication", "submitted"),
                            Extension =
                            [
                                new Extension
                                {
                                    Url = ReviewActionExtension,
                                    Extension = [new Extension(ReviewActionCodeExtension, new CodeableConcept(X12ReviewActionSystem, action))],
                                },
                            ],
                        },
                    ],
                },
            ],
        };
    }
}
