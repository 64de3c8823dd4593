using System.Net;
using Hl7.Fhir.Model;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests.Security;

/// <summary>
/// A person signed in to an app many clinics use (the payer-hosted DTR app), through this payer's
/// own authorization server: the binding reads the user's organization from the token's
/// "organization" claim, and the token's user-level scopes count. Anything short of a usable claim
/// acts for nobody.
/// </summary>
public sealed class SignedInProviderUserTests : IDisposable
{
    private const string AppClientId = "spinepolicy-dtr";
    private readonly PasHost _host;
    private readonly PayerSignInServer _signIn = new(AppClientId);

    public SignedInProviderUserTests() =>
        _host = new PasHost(new Dictionary<string, string?>(_signIn.ServerSettings(issuerIndex: 1, clientIndex: 8)));

    private static string Npi(string value) => $"{TestClients.NpiSystem}|{value}";

    private HttpClient UserOf(params string[] organization)
    {
        _signIn.UserOrganization.Clear();
        _signIn.UserOrganization.AddRange(organization);
        return _host.CreateClient(_signIn.AccessToken("user/Questionnaire.rs user/ValueSet.rs user/Claim.c"));
    }

    [Fact]
    public async Task Submit_UserOfTheRequestingClinic_IsDecidedAndFiledUnderThatClinic()
    {
        using var user = UserOf(Npi(TestClients.ProviderNpi));

        var submitted = await PasHost.PostAsync(user, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());

        Assert.Equal(HttpStatusCode.OK, submitted.Status);
        Assert.Equal("A1", submitted.ActionOf(1));
        using var clinicSystem = _host.CreateClient();
        using var otherClinic = _host.CreateClientAs(TestClients.OtherProviderClientId);
        Assert.Equal(HttpStatusCode.OK, (await clinicSystem.GetAsync($"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await otherClinic.GetAsync($"/fhir/ClaimResponse/{submitted.ClaimResponse.Id}")).StatusCode);
    }

    [Fact]
    public async Task Submit_UserOfAnotherClinic_RefusedAsNotActingForTheRequester()
    {
        using var user = UserOf(Npi(TestClients.OtherProviderNpi));

        var submitted = await PasHost.PostAsync(user, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());

        Assert.Equal(HttpStatusCode.Forbidden, submitted.Status);
        Assert.IsType<OperationOutcome>(submitted.Resource);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1234567893")]
    [InlineData("|1234567893")]
    [InlineData("http://hl7.org/fhir/sid/us-npi|1234567893 not-an-identifier")]
    public async Task Submit_TokenWithoutAUsableOrganization_ActsForNobody(string claimValues)
    {
        using var user = UserOf(claimValues.Split(' ', StringSplitOptions.RemoveEmptyEntries));

        var submitted = await PasHost.PostAsync(user, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());
        using var questionnaires = await user.GetAsync("/fhir/Questionnaire");

        Assert.Equal(HttpStatusCode.Forbidden, submitted.Status);
        Assert.IsType<OperationOutcome>(submitted.Resource);
        Assert.Equal(HttpStatusCode.Forbidden, questionnaires.StatusCode);
    }

    [Theory]
    [InlineData("user/Claim.c")]
    [InlineData("user/*.*")]
    [InlineData("patient/Claim.c")]
    public async Task Submit_UserScopesOfASystemClient_GrantNothing(string scope)
    {
        using var system = _host.CreateClient(TestTokens.MintFhirToken([scope]));

        var submitted = await PasHost.PostAsync(system, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").WithAnswers(_host.Fill(Answers.AllMet("bvna"))).Build());

        Assert.Equal(HttpStatusCode.Forbidden, submitted.Status);
    }

    [Fact]
    public void Start_ProviderBoundBothByOrganizationAndByClaim_RefusedWithTheSettingNamed()
    {
        var settings = new Dictionary<string, string?>(_signIn.ServerSettings(issuerIndex: 1, clientIndex: 8))
        {
            ["FhirAuthentication:Clients:8:Organization"] = Npi(TestClients.ProviderNpi),
        };

        var failure = Assert.ThrowsAny<Exception>(() => new PasHost(settings).Dispose());

        // Named by what identifies it: the binder renumbers list entries (index 8 here is entry 5).
        Assert.Contains($"client '{AppClientId}' of '{PayerSignInServer.Issuer}']: a Provider needs exactly one of Organization", Flatten(failure), StringComparison.Ordinal);
    }

    private static string Flatten(Exception exception) =>
        string.Join(" | ", new[] { exception }.Concat(exception is AggregateException a ? a.InnerExceptions : []).Select(e => e.Message + " " + e.InnerException?.Message));

    public void Dispose() => _host.Dispose();
}
