using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// The backport's answer to <c>Subscription/$status</c>: a searchset Bundle holding one
/// SubscriptionStatus (Parameters) of type query-status, with the subscription's status, its event
/// count since it started, and the error that stopped it, if any.
/// </summary>
internal static class SubscriptionStatusBuilder
{
    public static Bundle QueryStatus(Subscription subscription, string fhirBase, long eventsSinceStart)
    {
        var status = new Parameters
        {
            Id = Guid.NewGuid().ToString("D"),
            Meta = new Meta { Profile = [BackportCodes.StatusProfile] },
        };
        status.Add("subscription", new ResourceReference($"{fhirBase}/Subscription/{subscription.Id}"));
        status.Add("topic", new Canonical(PasCodes.SubscriptionTopic));
        status.Add("status", new Code(Hl7.Fhir.Utility.EnumUtility.GetLiteral(subscription.Status ?? Subscription.SubscriptionStatus.Active)));
        status.Add("type", new Code("query-status"));
        status.Add("events-since-subscription-start", new FhirString(eventsSinceStart.ToString(CultureInfo.InvariantCulture)));
        if (subscription.Status == Subscription.SubscriptionStatus.Error && subscription.Error is { Length: > 0 } error)
        {
            status.Add("error", new CodeableConcept { Text = error });
        }

        return new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Type = Bundle.BundleType.Searchset,
            Total = 1,
            Entry =
            [
                new Bundle.EntryComponent
                {
                    FullUrl = $"urn:uuid:{status.Id}",
                    Resource = status,
                    Search = new Bundle.SearchComponent { Mode = Bundle.SearchEntryMode.Match },
                },
            ],
        };
    }
}
