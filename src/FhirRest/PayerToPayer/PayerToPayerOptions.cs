namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>Payer-to-payer exchange settings, bound from "PayerToPayer".</summary>
internal sealed class PayerToPayerOptions
{
    public const string SectionName = "PayerToPayer";

    /// <summary>Failed $member-match attempts one client may make within <see cref="LockoutWindow"/> before it is locked out.</summary>
    public int MaxFailedMatchAttempts { get; set; } = 5;

    /// <summary>How long failures are remembered, and how long a lockout lasts.</summary>
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>System of the member ids we issue, used when a matched Patient carries no member-number identifier.</summary>
    public string MemberIdentifierSystem { get; set; } = "https://spinepolicy.example.org/fhir/sid/member-id";

    /// <summary>
    /// v2-0203 code typing the returned MemberIdentifier. HRex 1.0.0 fixes "MB" (member number);
    /// later HRex versions use "UMB", which THO 5.3.0 does not yet define.
    /// </summary>
    public string MemberIdentifierTypeCode { get; set; } = "MB";

    /// <summary>Prior authorizations changed within this many days are shared even when no longer active (CMS-0057-F).</summary>
    public int ChangedWithinDays { get; set; } = 365;

    /// <summary>
    /// Identifier values that name this payer in a Consent's source actor. Empty: MemberCoverage:PayorIdentifiers is used.
    /// </summary>
    public List<string> PayerIdentifiers { get; set; } = [];
}
