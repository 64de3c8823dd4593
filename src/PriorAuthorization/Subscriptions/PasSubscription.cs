using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// A rest-hook Subscription to the PAS topic as this server accepts it, read from a backport
/// Subscription: the endpoint, the payload content and the requesting organization's identifier
/// (the topic's "orgIdentifier" filter; the Inferno kit writes it as "identifier").
/// </summary>
public sealed record PasSubscription(string Id, Uri Endpoint, string PayloadContent, string OrganizationIdentifier, IReadOnlyList<string> Headers)
{
    public static PasSubscription Read(Subscription subscription, bool allowHttp)
    {
        if (subscription.Criteria != Response.PasCodes.SubscriptionTopic)
        {
            throw Refuse($"Subscription.criteria must be the PAS topic {Response.PasCodes.SubscriptionTopic}, not '{subscription.Criteria}'.", "Subscription.criteria");
        }

        if (subscription.Channel?.Type != Subscription.SubscriptionChannelType.RestHook)
        {
            throw Refuse("Only rest-hook channels are supported.", "Subscription.channel.type");
        }

        if (!Uri.TryCreate(subscription.Channel.Endpoint, UriKind.Absolute, out var endpoint)
            || !(endpoint.Scheme == Uri.UriSchemeHttps || (allowHttp && endpoint.Scheme == Uri.UriSchemeHttp)))
        {
            throw Refuse("Subscription.channel.endpoint must be an absolute https URL.", "Subscription.channel.endpoint");
        }

        var content = subscription.Channel.PayloadElement?.Extension.FirstOrDefault(e => e.Url == BackportCodes.PayloadContentUrl)?.Value is Code { Value: { } c } ? c : "full-resource";
        if (content is not ("full-resource" or "id-only" or "empty"))
        {
            throw Refuse($"Payload content '{content}' is not one of full-resource, id-only, empty.", "Subscription.channel.payload");
        }

        if (subscription.Channel.Payload is { } mime && mime is not ("application/fhir+json" or "application/json"))
        {
            throw Refuse($"Notifications are sent as application/fhir+json, not '{mime}'.", "Subscription.channel.payload");
        }

        var filters = subscription.CriteriaElement?.Extension
            .Where(e => e.Url == BackportCodes.FilterCriteriaUrl)
            .Select(e => (e.Value as FhirString)?.Value)
            .OfType<string>()
            .ToList() ?? [];
        var organization = filters
            .Select(f => f.Split('=', 2))
            .Where(p => p.Length == 2 && p[0].Trim() is "orgIdentifier" or "identifier" && p[1].Trim().Length > 0)
            .Select(p => p[1].Trim())
            .FirstOrDefault()
            ?? throw Refuse("A PAS subscription must be filtered by the requesting organization: add backport-filter-criteria \"orgIdentifier=<identifier>\".", "Subscription.criteria.extension");

        return new PasSubscription(subscription.Id ?? string.Empty, endpoint, content, organization, subscription.Channel.Header.OfType<string>().ToList());
    }

    /// <summary>True when the organization carries the filtered identifier ("value" or "system|value").</summary>
    public bool Matches(Organization? requestor)
    {
        if (requestor is null)
        {
            return false;
        }

        var parts = OrganizationIdentifier.Split('|', 2);
        return requestor.Identifier.Any(i => parts.Length == 2
            ? i.System == parts[0] && i.Value == parts[1]
            : i.Value == parts[0]);
    }

    private static FhirHttpException Refuse(string message, string expression) =>
        FhirHttpException.Unprocessable(message, expression, OperationOutcome.IssueType.Value);
}
