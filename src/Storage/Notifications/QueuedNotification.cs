namespace SpinePolicy.Storage.Notifications;

/// <summary>
/// A notification in the outbox, claimed for delivery: the subscription's event number, the focus
/// version the decision wrote, and how many deliveries were tried (this one included).
/// </summary>
public sealed record QueuedNotification(
    string Id,
    string SubscriptionId,
    long EventNumber,
    string FocusType,
    string FocusId,
    int FocusVersion,
    string FhirBase,
    DateTimeOffset QueuedAt,
    int Attempt);
