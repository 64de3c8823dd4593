using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.Storage.Feedback;

namespace SpinePolicy.FhirRest.Assertions;

/// <summary>
/// A stored CDS Hooks feedback entry as a read-only <c>Basic</c> resource (code cds-hooks-feedback):
/// FHIR has no resource for a clinician's reaction to a CDS card, so its parts travel in one
/// extension of ours named after CDS Hooks' fields, with the coverage-assertion-ids the card spoke about.
/// </summary>
internal static class CardFeedbackBasic
{
    public const string ExtensionUrl = "https://spinepolicy.example.org/fhir/StructureDefinition/cds-hooks-feedback";
    public const string Code = "cds-hooks-feedback";

    public static Basic From(CardFeedback feedback)
    {
        var facts = new Extension { Url = ExtensionUrl };
        facts.Extension.Add(new Extension("service", new FhirString(feedback.ServiceId)));
        facts.Extension.Add(new Extension("card", new FhirString(feedback.CardUuid)));
        facts.Extension.Add(new Extension("outcome", new Code(feedback.Outcome)));
        facts.Extension.Add(new Extension("outcomeTimestamp", new FhirDateTime(feedback.OutcomeTimestamp)));
        foreach (var suggestion in feedback.AcceptedSuggestions)
        {
            facts.Extension.Add(new Extension("acceptedSuggestion", new FhirString(suggestion)));
        }

        if (feedback.OverrideReason is { } reason)
        {
            facts.Extension.Add(new Extension("overrideReason", new Coding(reason.System, reason.Code, reason.Display)));
        }

        if (feedback.UserComment is { Length: > 0 } comment)
        {
            facts.Extension.Add(new Extension("userComment", new FhirString(comment)));
        }

        foreach (var assertionId in feedback.AssertionIds)
        {
            facts.Extension.Add(new Extension("coverage-assertion-id", new FhirString(assertionId)));
        }

        facts.Extension.Add(new Extension("received", new FhirDateTime(feedback.ReceivedAt)));

        return new Basic
        {
            Id = feedback.FeedbackId,
            Meta = new Meta { LastUpdated = feedback.ReceivedAt },
            Code = new CodeableConcept(CoverageAssertionBasic.KindSystem, Code, "CDS Hooks feedback on a CRD card"),
            Created = feedback.ReceivedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            Extension = [facts],
        };
    }
}
