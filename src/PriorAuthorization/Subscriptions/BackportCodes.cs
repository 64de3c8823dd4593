namespace SpinePolicy.PriorAuthorization.Subscriptions;

/// <summary>URLs of the FHIR R4 Subscriptions backport (hl7.fhir.uv.subscriptions-backport.r4).</summary>
internal static class BackportCodes
{
    public const string Base = "http://hl7.org/fhir/uv/subscriptions-backport/StructureDefinition/";
    public const string SubscriptionProfile = Base + "backport-subscription";
    public const string NotificationProfile = Base + "backport-subscription-notification-r4";
    public const string StatusProfile = Base + "backport-subscription-status-r4";
    public const string FilterCriteriaUrl = Base + "backport-filter-criteria";
    public const string PayloadContentUrl = Base + "backport-payload-content";
}
