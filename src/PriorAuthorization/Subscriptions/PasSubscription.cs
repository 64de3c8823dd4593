using Hl7.Fhir.Model;
using SpinePolicy.Fhir.Http;

namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>
/// A rest-hook Subscription to the PAS topic as this server accepts it, read from a backport
/// Subscription: the endpoint, the payload content and the requesting organization's identifier
/// (the topic's "org-identifier" filter, also read under its older names), and the organization
/// it is filed under (<see cref="Owner"/>). Whether the endpoint may be reached is
/// <see cref="SubscriptionEndpointPolicy"/>'s to decide, at creation and again at delivery.
/// </summary>
internal sealed record PasSubscription(string Id, Uri Endpoint, string PayloadContent, string OrganizationIdentifier, IReadOnlyList<string> Headers, string? Owner)
{
    public static PasSubscription Read(Subscription subscription)
    {
        if (subscription.Criteria != Response.PasCodes.SubscriptionTopic)
        {
            throw Refuse($"Subscription.criteria must be the PAS topic {Response.PasCodes.SubscriptionTopic}, not '{subscription.Criteria}'.", "Subscription.criteria");
        }

        if (subscription.Channel?.Type != Subscription.SubscriptionChannelType.RestHook)
        {
            throw Refuse("Only rest-hook channels are supported.", "Subscription.channel.type");
        }

        if (!Uri.TryCreate(subscription.Channel.Endpoint, UriKind.Absolute, out var endpoint))
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
            .Select(OrganizationFilter)
            .FirstOrDefault(value => value is not null)
            ?? throw Refuse("A PAS subscription must be filtered by the requesting organization: add backport-filter-criteria \"org-identifier=<identifier>\".", "Subscription.criteria.extension");

        return new PasSubscription(subscription.Id ?? string.Empty, endpoint, content, organization, subscription.Channel.Header.OfType<string>().ToList(), Fhir.Security.OwnerTag.Of(subscription));
    }

    /// <summary>
    /// The identifier a filter names, or null for another filter. PAS 2.2 names the parameter
    /// "org-identifier", the PAS 2.0 topic "orgIdentifier", the Inferno kit "identifier"; a filter
    /// may be written with its resource type in front ("ClaimResponse?org-identifier=…").
    /// </summary>
    private static string? OrganizationFilter(string filter)
    {
        var parts = filter.Split('=', 2);
        if (parts.Length != 2)
        {
            return null;
        }

        var name = parts[0].Trim();
        name = name[(name.IndexOf('?', StringComparison.Ordinal) + 1)..];
        var value = parts[1].Trim();
        return name is "org-identifier" or "orgIdentifier" or "identifier" && value.Length > 0 ? value : null;
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
