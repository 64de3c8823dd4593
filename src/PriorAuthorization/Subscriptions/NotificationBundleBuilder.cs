using System.Globalization;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Response;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// The backport's R4 notification: a history Bundle whose first entry is the SubscriptionStatus
/// Parameters (event-notification, event number, focus = the ClaimResponse, additional context = the
/// Patient, insurer and requestor), then, for full-resource payloads, those resources themselves.
/// </summary>
internal static class NotificationBundleBuilder
{
    public static Bundle Build(PasSubscription subscription, string fhirBase, long eventNumber, ClaimResponse response, Bundle request, DateTimeOffset now)
    {
        var responseBundle = PasResponseBundleBuilder.Build(response, request, fhirBase, now);
        var focus = responseBundle.Entry[0];
        var context = responseBundle.Entry.Skip(1).ToList();

        var status = new Parameters
        {
            // urn:uuid fullUrls need the hyphenated form.
            Id = Guid.NewGuid().ToString("D"),
            Meta = new Meta { Profile = [BackportCodes.StatusProfile] },
        };
        status.Add("subscription", new ResourceReference($"{fhirBase}/Subscription/{subscription.Id}"));
        status.Add("topic", new Canonical(PasCodes.SubscriptionTopic));
        status.Add("status", new Code("active"));
        status.Add("type", new Code("event-notification"));
        var number = eventNumber.ToString(CultureInfo.InvariantCulture);
        status.Add("events-since-subscription-start", new FhirString(number));
        if (subscription.PayloadContent != "empty")
        {
            var parts = new List<Tuple<string, Base>>
            {
                Tuple.Create("event-number", (Base)new FhirString(number)),
                Tuple.Create("timestamp", (Base)new Instant(now)),
                Tuple.Create("focus", (Base)new ResourceReference(focus.FullUrl)),
            };
            parts.AddRange(context.Select(c => Tuple.Create("additional-context", (Base)new ResourceReference(c.FullUrl))));
            status.Add("notification-event", parts);
        }

        var bundle = new Bundle
        {
            Id = Guid.NewGuid().ToString("N"),
            Meta = new Meta { Profile = [BackportCodes.NotificationProfile] },
            Type = Bundle.BundleType.History,
            TimestampElement = new Instant(now),
        };
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = $"urn:uuid:{status.Id}",
            Resource = status,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = $"{fhirBase}/Subscription/{subscription.Id}/$status" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });

        if (subscription.PayloadContent == "empty")
        {
            return bundle;
        }

        var full = subscription.PayloadContent == "full-resource";
        bundle.Entry.Add(new Bundle.EntryComponent
        {
            FullUrl = focus.FullUrl,
            Resource = full ? focus.Resource : null,
            Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.PUT, Url = $"ClaimResponse/{response.Id}" },
            Response = new Bundle.ResponseComponent { Status = "200" },
        });
        if (full)
        {
            foreach (var entry in context)
            {
                bundle.Entry.Add(new Bundle.EntryComponent
                {
                    FullUrl = entry.FullUrl,
                    Resource = entry.Resource,
                    Request = new Bundle.RequestComponent { Method = Bundle.HTTPVerb.GET, Url = entry.FullUrl },
                    Response = new Bundle.ResponseComponent { Status = "200" },
                });
            }
        }

        return bundle;
    }
}
