using Hl7.Fhir.Model;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Whether we can honour the Consent a requesting payer sends with $member-match (HRex consent
/// profile): active, an HRex policy (regular or sensitive), permit + disclose, a current period,
/// about the member being matched, from us (source) to someone else (recipient) and, when the
/// requester's binding lists the identifiers it is known by, to the requester itself.
/// </summary>
internal static class ConsentEvaluator
{
    public const string RegularPolicy = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html#regular";
    public const string SensitivePolicy = "http://hl7.org/fhir/us/davinci-hrex/StructureDefinition-hrex-consent.html#sensitive";

    private const string SourceRoleSystem = "http://terminology.hl7.org/CodeSystem/provenance-participant-type";
    private const string RecipientRoleSystem = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    /// <summary>Null when the consent can be honoured now; otherwise why not (for a 422).</summary>
    /// <param name="requesterIdentifiers">
    /// The identifiers the requesting payer is known by (its PayerPartner binding); empty when the
    /// binding lists none, and the recipient can then only be checked not to be us.
    /// </param>
    public static string? Problem(
        Consent consent,
        Patient memberPatient,
        DateTimeOffset now,
        IReadOnlyCollection<string> ourIdentifiers,
        IReadOnlyCollection<(string System, string Value)> requesterIdentifiers)
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

        // The member consented to disclosure to one payer: another payer holding a copy of that
        // consent (it travels between payers) must not read the member's data with it. HRex names
        // the party the data goes to in provision.actor with role IRCP, by identifier or by a
        // contained Organization; any recipient may be the requester.
        if (requesterIdentifiers.Count > 0
            && !Actors(provision, RecipientRoleSystem, "IRCP").Any(r => RecipientIdentifiers(consent, r).Any(requesterIdentifiers.Contains)))
        {
            return "The Consent does not authorise disclosure to the requesting payer: no recipient (Consent.provision.actor with role IRCP) names an identifier this client is known by.";
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
        Actors(provision, system, code).FirstOrDefault();

    private static IEnumerable<ResourceReference> Actors(Consent.provisionComponent provision, string system, string code) =>
        provision.Actor
            .Where(a => a.Role?.Coding.Any(c => c.System == system && c.Code == code) == true)
            .Select(a => a.Reference)
            .OfType<ResourceReference>();

    /// <summary>
    /// The identifiers (system and value both present) a recipient reference names: its logical
    /// identifier, or those of the Organization it points to inside the Consent ("#id"). A literal
    /// reference to another server names nobody we can check.
    /// </summary>
    private static IEnumerable<(string System, string Value)> RecipientIdentifiers(Consent consent, ResourceReference recipient)
    {
        var identifiers = new List<Identifier>();
        if (recipient.Identifier is { } logical)
        {
            identifiers.Add(logical);
        }

        if (recipient.Reference is { Length: > 1 } literal && literal[0] == '#')
        {
            identifiers.AddRange(consent.Contained.OfType<Organization>().Where(o => o.Id == literal[1..]).SelectMany(o => o.Identifier));
        }

        return identifiers
            .Where(i => !string.IsNullOrEmpty(i.System) && !string.IsNullOrEmpty(i.Value))
            .Select(i => (i.System!, i.Value!));
    }

    private static bool Names(ResourceReference reference, IReadOnlyCollection<string> identifiers) =>
        (reference.Identifier?.Value is { } value && identifiers.Contains(value, StringComparer.OrdinalIgnoreCase))
        || (reference.Reference is { } literal && identifiers.Contains(literal, StringComparer.OrdinalIgnoreCase));
}
