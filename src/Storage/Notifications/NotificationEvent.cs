namespace SpinePolicy.Storage.Notifications;

/// <summary>
/// A subscriber to notify about a resource written in the same transaction (the focus, e.g. a
/// ClaimResponse), and the FHIR base its notification names.
/// </summary>
public sealed record NotificationEvent(string SubscriptionId, string FocusType, string FocusId, string FhirBase);
