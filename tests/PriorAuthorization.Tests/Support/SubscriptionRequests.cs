using System.Net;
using Hl7.Fhir.Model;

namespace SpinePolicy.PriorAuthorization.Tests.Support;

/// <summary>What a provider's system sends to subscribe to decisions, and what a reviewer sends to decide.</summary>
public static class SubscriptionRequests
{
    public const string Topic = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic";

    public static Subscription NewSubscription(string endpoint, string? filter)
    {
        var subscription = new Subscription
        {
            Status = Subscription.SubscriptionStatus.Requested,
            Reason = "PAS decisions for our clinic",
            Criteria = Topic,
            Channel = new Subscription.ChannelComponent
            {
                Type = Subscription.SubscriptionChannelType.RestHook,
                Endpoint = endpoint,
                Payload = "application/fhir+json",
            },
        };
        subscription.Channel.PayloadElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-payload-content", new Code("full-resource")));
        if (filter is not null)
        {
            subscription.CriteriaElement!.Extension.Add(new Extension("http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/backport-filter-criteria", new FhirString(filter)));
        }

        return subscription;
    }

    /// <summary>A reviewer's decision on one pended item ($review Parameters).</summary>
    public static Parameters Decision(int sequence, string action, string? note)
    {
        var parts = new List<Tuple<string, Base>>
        {
            Tuple.Create("sequence", (Base)new Integer(sequence)),
            Tuple.Create("action", (Base)new Code(action)),
        };
        if (note is not null)
        {
            parts.Add(Tuple.Create("note", (Base)new FhirString(note)));
        }

        var parameters = new Parameters();
        parameters.Add("item", parts);
        return parameters;
    }

    /// <summary>events-since-subscription-start of a notification or $status Bundle.</summary>
    public static long EventsSinceStart(Bundle bundle)
    {
        var status = Assert.IsType<Parameters>(bundle.Entry[0].Resource);
        return long.Parse(((FhirString)status.GetSingle("events-since-subscription-start")!.Value!).Value!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Submits a request that pends (BVNA with one criterion unanswered) and certifies it on review; returns the ClaimResponse id.</summary>
    public static async Task<string> DecidePendedRequestAsync(PasHost host, string requestor)
    {
        var request = new PasRequestBuilder { RequestorIdentifier = requestor }.Line("64628").WithAnswers(host.Fill(Answers.AllMet("bvna").Remove("bvna-bmi")));
        var submitted = await host.SubmitAsync(request.Build());
        Assert.Equal("A4", submitted.ActionOf(1));
        using var reviewer = host.CreateClient(ReviewerTokens.Mint());
        var reviewed = await PasHost.PostAsync(reviewer, $"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}/$review", Decision(1, "A1", "Criteria met on review."));
        Assert.Equal(HttpStatusCode.OK, reviewed.Status);
        return submitted.ClaimResponse.Id!;
    }

    public static async System.Threading.Tasks.Task WaitUntilAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the condition did not hold within 15 s");
            await System.Threading.Tasks.Task.Delay(50);
        }
    }
}
