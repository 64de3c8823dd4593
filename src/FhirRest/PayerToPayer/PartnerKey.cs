using SpinePolicy.Fhir.Security;

namespace SpinePolicy.FhirRest.PayerToPayer;

/// <summary>
/// Names a payer-to-payer client for its grants and its lockout: the token's issuer and client id
/// together. Each authorization server mints its own client ids, so "acme" at one trusted issuer
/// and "acme" at another are two payers; keyed by the id alone, the second would read every member
/// the first matched and could lock it out.
/// </summary>
internal static class PartnerKey
{
    /// <summary>Who the caller is when FHIR authentication is switched off (development only).</summary>
    private const string Anonymous = "anonymous";

    /// <summary>"{issuer} {client id}" (an issuer is a URL, which holds no space), or the development caller's key.</summary>
    public static string Of(FhirCaller caller) =>
        caller.Issuer is { } issuer && caller.ClientId is { } clientId ? $"{issuer} {clientId}" : Anonymous;
}
