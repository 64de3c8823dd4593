using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Whether we can honour the Consent a requesting payer sends with $member-match (HRex consent
/// profile): active, an HRex policy (regular or sensitive), permit + disclose, a current period,
/// about the member being matched, from us (source) to someone else (recipient).
/// </summary>
internal static class ConsentEvaluator
{
    public const string RegularPolicy = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html#regular";
    public const string SensitivePolicy = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html#sensitive";

    private const string SourceRoleSystem = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    private const string RecipientRoleSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    /// <summary>Null when the consent can be honoured now; otherwise why not (for a 422).</summary>
    public static string? Problem(Consent consent, Patient memberPatient, DateTimeOffset now, IReadOnlyCollection<string> ourIdentifiers)
    {
        if (consent.Status != Consent.ConsentState.Active)
        {
            return "The Consent is not active.";
        }

        // Both HRex policies allow what we share (prior authorizations): "sensitive" is a superset.
        if (!consent.Policy.Any(p => p.Uri is RegularPolicy or SensitivePolicy))
        {
            return "Consent.policy must be the HRex regular or sensitive policy.";
        }

        var provision = consent.Provision;
        if (provision is null || provision.Type != Consent.ConsentProvisionType.Permit)
        {
            return "Consent.provision must permit disclosure.";
        }

        if (!provision.Action.Any(a => a.Coding.Any(c => c.System == "http://terminology.hl7.org/CodeSystem/consentaction" && c.Code == "disclose")))
        {
            return "Consent.provision.action must be disclose.";
        }

        if (Period(provision) is not { } period)
        {
            return "Consent.provision.period needs a start and an end.";
        }

        if (now < period.Start || now > period.End)
        {
            return "The Consent's period does not cover today.";
        }

        if (!IsAboutMember(consent.Patient, memberPatient))
        {
            return "Consent.patient must refer to the MemberPatient.";
        }

        var source = Actor(provision, SourceRoleSystem, "performer");
        var recipient = Actor(provision, RecipientRoleSystem, "IRCP");
        if (source is null || recipient is null)
        {
            return "Consent.provision.actor needs a source (performer) and a recipient (IRCP).";
        }

        if (ourIdentifiers.Count > 0 && !Names(source, ourIdentifiers))
        {
            return "The Consent does not name this payer as the source of the data.";
        }

        if (ourIdentifiers.Count > 0 && Names(recipient, ourIdentifiers))
        {
            return "The Consent names this payer as the recipient; it must name the requesting payer.";
        }

        return null;
    }

    /// <summary>The consented period (start and end as instants), or null when incomplete.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Period(Consent.provisionComponent provision)
    {
        var start = provision.Period?.StartElement;
        var end = provision.Period?.EndElement;
        if (start is null || end is null
            || !start.TryToDateTimeOffset(TimeSpan.Zero, out var from)
            || !end.TryToDateTimeOffset(TimeSpan.Zero, out var to))
        {
            return null;
        }

        // A date-only end ("2027-06-30") covers that whole day; the calendar's last day ends with time.
        return (from, end.Value?.Length <= 10 ? (to > DateTimeOffset.MaxValue.AddDays(-1) ? DateTimeOffset.MaxValue : to.AddDays(1).AddTicks(-1)) : to);
    }

    private static bool IsAboutMember(ResourceReference? patient, Patient memberPatient)
    {
        if (patient is null)
        {
            return false;
        }

        if (string.IsNullOrEmpty(memberPatient.Id) || string.IsNullOrEmpty(patient.Reference))
        {
            return patient.Reference is not null || patient.Identifier is not null;
        }

        return patient.Reference == "Patient/" + memberPatient.Id || patient.Reference.EndsWith("/Patient/" + memberPatient.Id, StringComparison.Ordinal);
    }

    private static ResourceReference? Actor(Consent.provisionComponent provision, string system, string code) =>
        provision.Actor.FirstOrDefault(a => a.Role?.Coding.Any(c => c.System == system && c.Code == code) == true)?.Reference;

    private static bool Names(ResourceReference reference, IReadOnlyCollection<string> identifiers) =>
        (reference.Identifier?.Value is { } value && identifiers.Contains(value, StringComparer.OrdinalIgnoreCase))
        || (reference.Reference is { } literal && identifiers.Contains(literal, StringComparer.OrdinalIgnoreCase));
}
