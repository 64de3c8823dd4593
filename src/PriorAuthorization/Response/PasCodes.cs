namespace SpinePolicy.PriorAuthorization.Response;

/// <summary>Canonical URLs and code systems of Da Vinci PAS 2.0.1 and the X12 code lists it binds.</summary>
public static class PasCodes
{
    public const string ProfileBase = "http://hl7.org/fhir/us/davinci-pas/StructureDefinition/";
    public const string RequestBundleProfile = ProfileBase + "profile-pas-request-bundle";
    public const string ResponseBundleProfile = ProfileBase + "profile-pas-response-bundle";
    public const string InquiryResponseBundleProfile = ProfileBase + "profile-pas-inquiry-response-bundle";
    public const string ClaimResponseProfile = ProfileBase + "profile-claimresponse";
    public const string ClaimInquiryResponseProfile = ProfileBase + "profile-claiminquiryresponse";

    public const string ReviewActionUrl = ProfileBase + "extension-reviewAction";
    public const string ReviewActionCodeUrl = ProfileBase + "extension-reviewActionCode";
    public const string ItemPreAuthIssueDateUrl = ProfileBase + "extension-itemPreAuthIssueDate";
    public const string ItemPreAuthPeriodUrl = ProfileBase + "extension-itemPreAuthPeriod";
    public const string ItemTraceNumberUrl = ProfileBase + "extension-itemTraceNumber";
    public const string RequestedServiceUrl = ProfileBase + "extension-requestedService";
    public const string CertificationTypeUrl = ProfileBase + "extension-certificationType";
    public const string InfoCancelledUrl = ProfileBase + "modifierextension-infoCancelled";
    public const string ItemRequestedServiceDateUrl = ProfileBase + "extension-itemRequestedServiceDate";

    /// <summary>X12 306 (HCR01), the action code of a review.</summary>
    public const string X12ActionSystem = "https://codesystem.x12.org/005010/306";

    /// <summary>X12 External Code Source 886 (HCR03), the reason of a review decision.</summary>
    public const string X12ReviewReasonSystem = "https://codesystem.x12.org/external/886";

    /// <summary>X12 1322 certification type: "3" cancels a previously requested service.</summary>
    public const string X12CertificationTypeSystem = "https://codesystem.x12.org/005010/1322";

    public const string AdjudicationSystem = "http://terminology.hl7.org/CodeSystem/adjudication";
    public const string ClaimTypeSystem = "http://terminology.hl7.org/CodeSystem/claim-type";

    /// <summary>The PAS subscription topic (a Basic resource in PAS 2.0.1, a canonical for the backport).</summary>
    public const string SubscriptionTopic = "http://hl7.org/fhir/us/davinci-pas/SubscriptionTopic/PASSubscriptionTopic";
}
