namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>One notification to deliver: where, the serialized Bundle, and the subscription's extra headers.</summary>
public sealed record NotificationDelivery(string SubscriptionId, Uri Endpoint, byte[] Body, IReadOnlyList<string> Headers);
