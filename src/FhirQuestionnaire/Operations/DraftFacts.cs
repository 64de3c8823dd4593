using Hl7.Fhir.Model;

namespace SpinePolicy.FhirQuestionnaire.Operations;

/// <summary>
/// What the payer already knows for a draft response, with the references DTR's qr-context and
/// subject need. Every reference is already the best the request offers (a literal reference, else
/// an identifier or a display), so a draft can always be built. <see cref="Record"/> is what the
/// clinical resources the client sent as 'referenced' answer.
/// </summary>
internal sealed record DraftFacts(
    ResourceReference Subject,
    ResourceReference Coverage,
    IReadOnlyList<ResourceReference> Orders,
    int? AgeYears,
    IReadOnlyList<string> PreviouslyTreatedLevels,
    ReferencedRecord Record);
