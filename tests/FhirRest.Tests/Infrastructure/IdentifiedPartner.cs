using SpinePolicy.TestKit.Security;

namespace SpinePolicy.FhirRest.Tests.Infrastructure;

/// <summary>
/// A payer-to-payer client bound by its own client id with the identifiers that payer is known by
/// (its NPI and its payer id), so that $member-match can check a Consent's recipient against them.
/// The fixtures bind it beside the "*" binding of the partner issuer, which lists none.
/// </summary>
public static class IdentifiedPartner
{
    public const string ClientId = "identified-payer";

    public const string NpiSystem = TestClients.NpiSystem;

    public const string Npi = "0123456789";

    public const string PayerIdSystem = "https://payer-registry.test.example/payer-id";

    public const string PayerId = "NEWPLAN-77";

    /// <summary>Another payer's NPI: a consent naming it was written for that payer, not this one.</summary>
    public const string OtherPayerNpi = "0987654321";

    /// <summary>A high index, clear of TestClients' bindings and of those single tests add.</summary>
    private const int BindingIndex = 12;

    public static IEnumerable<KeyValuePair<string, string?>> Settings()
    {
        var prefix = $"FhirAuthentication:Clients:{BindingIndex}";
        yield return new($"{prefix}:Issuer", TestTokens.PartnerIssuer);
        yield return new($"{prefix}:ClientId", ClientId);
        yield return new($"{prefix}:Role", "PayerPartner");
        yield return new($"{prefix}:Identifiers:0", $"{NpiSystem}|{Npi}");
        yield return new($"{prefix}:Identifiers:1", $"{PayerIdSystem}|{PayerId}");
    }
}
