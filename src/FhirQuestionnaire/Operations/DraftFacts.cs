namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>What the payer already knows for a draft response, with the references DTR's context needs.</summary>
public sealed record DraftFacts(
    string PatientReference,
    string CoverageReference,
    string OrderReference,
    int? AgeYears,
    IReadOnlyList<string> PreviouslyTreatedLevels);
