using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>
/// The one rule for when a decision on a prior-authorization request is due: 72 hours after receipt
/// for an expedited (urgent) request, 7 calendar days for a standard one (the CMS-0057-F time
/// frames; both configurable under <see cref="DecisionDeadlineOptions.SectionName"/>).
/// A request is expedited when Claim.priority (http://terminology.hl7.org/CodeSystem/processpriority)
/// is "stat", or when its certification type (PAS extension-certificationType, X12 1322) is "1"
/// Appeal – Immediate. Anything else ("normal", "deferred", no priority) is standard.
/// </summary>
public sealed class DecisionDeadline(DecisionDeadlineOptions options)
{
    public const string PrioritySystem = "http://terminology.hl7.org/CodeSystem/processpriority";

    /// <summary>X12 1322 "Appeal – Immediate".</summary>
    public const string ImmediateAppeal = "1";

    /// <summary>X12 1322 "Appeal – Standard".</summary>
    public const string StandardAppeal = "2";

    public TimeSpan MaxExtension => options.MaxExtension;

    public static RequestUrgency UrgencyOf(Claim claim) =>
        claim.Priority?.Coding.Any(c => c.Code == "stat" && (c.System is null || c.System == PrioritySystem)) == true
        || CertificationTypes(claim).Contains(ImmediateAppeal)
            ? RequestUrgency.Urgent
            : RequestUrgency.Standard;

    /// <summary>True when the Claim, or any of its items, says it is an appeal (certification type 1 or 2).</summary>
    public static bool IsAppeal(Claim claim) =>
        CertificationTypes(claim).Any(code => code is ImmediateAppeal or StandardAppeal);

    public TimeSpan Allowed(RequestUrgency urgency) => urgency == RequestUrgency.Urgent ? options.Urgent : options.Standard;

    /// <summary>When the decision on a request received at <paramref name="received"/> is due.</summary>
    public DateTimeOffset DueBy(DateTimeOffset received, RequestUrgency urgency) => received + Allowed(urgency);

    public DateTimeOffset DueBy(DateTimeOffset received, Claim claim) => DueBy(received, UrgencyOf(claim));

    /// <summary>The clock of a request received now.</summary>
    public DecisionClock Start(DateTimeOffset received, Claim claim, string? appealOf) =>
        new(received, UrgencyOf(claim), DueBy(received, UrgencyOf(claim)), appealOf is null ? RequestKind.Initial : RequestKind.Appeal, appealOf);

    private static IEnumerable<string> CertificationTypes(Claim claim) =>
        claim.Extension.Concat(claim.Item.SelectMany(i => i.Extension))
            .Where(e => e.Url == PasCodes.CertificationTypeUrl)
            .SelectMany(e => e.Value is CodeableConcept concept ? concept.Coding : [])
            .Where(c => c.System is null || c.System == PasCodes.X12CertificationTypeSystem)
            .Select(c => c.Code)
            .OfType<string>();
}
