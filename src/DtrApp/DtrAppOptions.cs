namespace SpinePolicy.DtrApp;

/// <summary>Configuration section "DtrApp": the payer-hosted DTR SMART app at /dtr/.</summary>
public sealed class DtrAppOptions
{
    public const string SectionName = "DtrApp";

    /// <summary>The SMART client id EHRs registered for the app (a public client; PKCE, no secret).</summary>
    public string ClientId { get; set; } = "spinepolicy-dtr";

    /// <summary>Scopes asked for in an EHR launch: the launch context, the user, the patient's record, and writing the response.</summary>
    public string Scope { get; set; } = "launch openid fhirUser patient/*.read patient/QuestionnaireResponse.write user/Practitioner.read user/PractitionerRole.read user/Organization.read";

    /// <summary>Scopes asked for in a standalone launch (the EHR lets the user pick the patient).</summary>
    public string StandaloneScope { get; set; } = "launch/patient openid fhirUser patient/*.read patient/QuestionnaireResponse.write user/Practitioner.read user/PractitionerRole.read user/Organization.read";

    /// <summary>
    /// The app's client id at this payer's own authorization server (the one
    /// <c>/fhir/.well-known/smart-configuration</c> names). When that server has an authorization
    /// endpoint, the app signs the user in there too, after the EHR launch, and calls the payer's
    /// FHIR API with that token.
    /// </summary>
    public string PayerClientId { get; set; } = "spinepolicy-dtr";

    /// <summary>What the app asks this payer's authorization server for: the package, value sets, and submitting the request.</summary>
    public string PayerScope { get; set; } = "user/Questionnaire.rs user/ValueSet.rs user/Claim.c";

    /// <summary>
    /// EHR FHIR base URLs allowed to launch the app. Empty: any (a development set-up). Their
    /// origins may be called from the page (the Content-Security-Policy's connect-src).
    /// </summary>
    public IReadOnlyList<string> AllowedIssuers { get; set; } = [];

    /// <summary>Further origins the page may call: EHR authorization servers on another host than their FHIR server.</summary>
    public IReadOnlyList<string> ConnectOrigins { get; set; } = [];

    /// <summary>EHR origins allowed to show the app in a frame. Empty: none may.</summary>
    public IReadOnlyList<string> FrameAncestors { get; set; } = [];

    /// <summary>Null when the settings are usable, else what is wrong, named.</summary>
    public string? Problem()
    {
        if (string.IsNullOrWhiteSpace(ClientId) || string.IsNullOrWhiteSpace(PayerClientId))
        {
            return $"{SectionName}:ClientId and {SectionName}:PayerClientId are required.";
        }

        foreach (var issuer in AllowedIssuers)
        {
            if (!IsHttpUrl(issuer))
            {
                return $"{SectionName}:AllowedIssuers: '{issuer}' is not an absolute http(s) URL.";
            }
        }

        foreach (var origin in ConnectOrigins.Concat(FrameAncestors))
        {
            if (!IsHttpUrl(origin))
            {
                return $"{SectionName}: '{origin}' is not an absolute http(s) origin.";
            }
        }

        return null;
    }

    private static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http";
}
