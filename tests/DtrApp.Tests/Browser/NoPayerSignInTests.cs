using Microsoft.Playwright;
using SpinePolicy.TestKit;
using SpinePolicy.TestKit.Ehr;

namespace SpinePolicy.DtrApp.Tests.Browser;

/// <summary>
/// A payer that closed its FHIR API but named no authorization server for browser apps: the app
/// cannot get a payer token, and the clinician is told so in words that point at the fix.
/// </summary>
[Trait("Category", "Browser")]
public sealed class NoPayerSignInTests(NoPayerSignInFixture fixture) : IClassFixture<NoPayerSignInFixture>
{
    [Fact]
    public async Task EhrLaunch_ClosedApiWithoutAuthorizationServer_SaysThePayerNamesNoSignIn()
    {
        var page = await fixture.LaunchAsync(
            EhrRecords.ApprovedPatient,
            new { reference = $"ServiceRequest/{EhrRecords.ApprovedPatient}-bvna" },
            new { reference = $"Coverage/{EhrRecords.ApprovedPatient}-coverage" });

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("names no authorization server", new() { Timeout = 60_000 });
        Assert.Empty(fixture.PayerSignIn.GrantedScopes);
    }
}

/// <summary>The FHIR API needs tokens; FhirAuthentication:AuthorizationServer is not configured.</summary>
public sealed class NoPayerSignInFixture : DtrBrowserFixture
{
    protected override SpinePolicyApp CreateServer() => new(new Dictionary<string, string?>
    {
        ["DtrApp:AllowedIssuers:0"] = Ehr.FhirBase,
        ["DtrApp:ClientId"] = ClientId,
        ["FhirAuthentication:Enabled"] = "true",
    });
}
