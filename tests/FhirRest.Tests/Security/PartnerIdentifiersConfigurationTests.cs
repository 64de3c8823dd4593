using Microsoft.Extensions.Options;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.FhirRest.Tests.Security;

/// <summary>
/// A client binding's Identifiers: validated as system|value for a payer partner as for a provider,
/// and refused at start-up on a role for which they would mean nothing (silently ignored, an
/// operator would believe a check is made that is not).
/// </summary>
public sealed class PartnerIdentifiersConfigurationTests
{
    public static TheoryData<string, string, string, string> BadBindings => new()
    {
        { "a partner identifier without a system", "PayerPartner", "0123456789", "'0123456789' is not an identifier written system|value" },
        { "identifiers on the reviewer application", "Reviewer", "http://hl7.org/fhir/sid/us-npi|0123456789", ":Identifiers is for a Provider" },
        { "identifiers on the back office", "PayerAdministration", "http://hl7.org/fhir/sid/us-npi|0123456789", ":Identifiers is for a Provider" },
    };

    [Theory]
    [MemberData(nameof(BadBindings))]
    public void Startup_BindingWithIdentifiersItCannotUse_StopsTheHostNamingTheSetting(string why, string role, string identifier, string message)
    {
        using var app = new SpinePolicyApp(new Dictionary<string, string?>
        {
            ["FhirAuthentication:Clients:12:Issuer"] = TestTokens.PartnerIssuer,
            ["FhirAuthentication:Clients:12:ClientId"] = "configured-client",
            ["FhirAuthentication:Clients:12:Role"] = role,
            ["FhirAuthentication:Clients:12:Identifiers:0"] = identifier,
        });

        var failure = Assert.ThrowsAny<Exception>(() => app.CreateClient());

        var validation = failure as OptionsValidationException ?? failure.InnerException as OptionsValidationException;
        Assert.True(validation is not null, $"{why}: {failure}");
        Assert.Contains("client 'configured-client' of 'https://p2p-auth.test.example'", validation.Message, StringComparison.Ordinal);
        Assert.Contains(message, validation.Message, StringComparison.Ordinal);
    }
}
