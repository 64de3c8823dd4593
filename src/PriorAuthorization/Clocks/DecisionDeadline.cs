using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Clocks;

/// <summary>
/// The one rule for when a decision on a prior-authorization request is due: 72 hours after receipt
/// for an urgent (expedited) request, 7 calendar days for a standard one (the CMS prior-authorization
/// time frames; both configurable under <see cref="DecisionDeadlineOptions.SectionName"/>).
/// Urgency is read from Claim.priority (http://terminology.hl7.org/CodeSystem/processpriority):
/// "stat" is urgent; "normal", "deferred" or no priority at all is standard.
/// </summary>
public sealed class DecisionDeadline(DecisionDeadlineOptions options)
{
    public const string PrioritySystem = "http://terminology.hl7.org/CodeSystem/processpriority";

    public static RequestUrgency UrgencyOf(Claim claim) =>
        claim.Priority?.Coding.Any(c => c.Code == "stat" && (c.System is null || c.System == PrioritySystem)) == true
            ? RequestUrgency.Urgent
            : RequestUrgency.Standard;

    public TimeSpan Allowed(RequestUrgency urgency) => urgency == RequestUrgency.Urgent ? options.Urgent : options.Standard;

    /// <summary>When the decision on a request received at <paramref name="received"/> is due.</summary>
    public DateTimeOffset DueBy(DateTimeOffset received, RequestUrgency urgency) => received + Allowed(urgency);

    public DateTimeOffset DueBy(DateTimeOffset received, Claim claim) => DueBy(received, UrgencyOf(claim));
}
