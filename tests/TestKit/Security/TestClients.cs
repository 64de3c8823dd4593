namespace SpinePolicy.TestKit.Security;

/// <summary>
/// The FHIR API clients every test server binds (FhirAuthentication:Clients), so that tests act as
/// the right party: a provider organization (the default client), a second, unrelated provider,
/// this payer's back office and reviewer application, and any client of the payer-to-payer issuer.
/// </summary>
public static class TestClients
{
    public const string NpiSystem = "http://hl7.org/fhir/sid/us-npi";

    /// <summary>The default client (TestTokens.DefaultFhirClientId) acts for this organization, the requester PasRequestBuilder names.</summary>
    public const string ProviderNpi = "1234567893";

    /// <summary>
    /// Further NPIs the default provider client answers for (an intermediary serving several
    /// clinics): the Inferno PAS fixtures' requesting organization (8189991234), the reliability
    /// fixtures' practitioner (1987654321), and one clinic per subscription test (4444444444 …
    /// 9999999999), so that each test's notifications stay apart from the others'.
    /// </summary>
    public static readonly IReadOnlyList<string> ProviderOtherNpis =
    [
        "1111111111", "3333333333", "8189991234", "1987654321",
        "4444444444", "5555555555", "5555555556", "6666666666", "7777777777", "8888888888", "9999999999",
    ];

    public const string OtherProviderClientId = "test-client-b";

    public const string OtherProviderNpi = "1093817465";

    public const string AdministrationClientId = "test-admin";

    public const string ReviewerClientId = "test-reviewer";

    /// <summary>Settings binding these clients (merged into every SpinePolicyApp's defaults).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Bindings()
    {
        var bindings = new (string Issuer, string ClientId, string Role, string? Npi, IReadOnlyList<string> Others)[]
        {
            (TestTokens.FhirIssuer, TestTokens.DefaultFhirClientId, "Provider", ProviderNpi, ProviderOtherNpis),
            (TestTokens.FhirIssuer, OtherProviderClientId, "Provider", OtherProviderNpi, []),
            (TestTokens.FhirIssuer, AdministrationClientId, "PayerAdministration", null, []),
            (TestTokens.FhirIssuer, ReviewerClientId, "Reviewer", null, []),
            (TestTokens.PartnerIssuer, "*", "PayerPartner", null, []),
        };
        for (var i = 0; i < bindings.Length; i++)
        {
            var (issuer, clientId, role, npi, others) = bindings[i];
            var prefix = $"FhirAuthentication:Clients:{i}";
            yield return new($"{prefix}:Issuer", issuer);
            yield return new($"{prefix}:ClientId", clientId);
            yield return new($"{prefix}:Role", role);
            if (npi is not null)
            {
                yield return new($"{prefix}:Organization", $"{NpiSystem}|{npi}");
            }

            for (var j = 0; j < others.Count; j++)
            {
                yield return new($"{prefix}:Identifiers:{j}", $"{NpiSystem}|{others[j]}");
            }
        }

        // The payer-to-payer authorization server, trusted with the same test keys.
        yield return new($"FhirAuthentication:Issuers:{PartnerIssuerIndex}:Issuer", TestTokens.PartnerIssuer);
        yield return new($"FhirAuthentication:Issuers:{PartnerIssuerIndex}:Jwks", TestSigningKeys.PublicJwks);
    }

    /// <summary>A high index, so a test adding its own issuers at 1, 2… does not replace it.</summary>
    private const int PartnerIssuerIndex = 9;
}
