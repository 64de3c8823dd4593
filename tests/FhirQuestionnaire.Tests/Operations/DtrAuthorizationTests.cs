using System.Net;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>
/// The DTR endpoints require a FHIR access token with a scope for the resource type, at their types
/// and at the system level (<c>/fhir/$name</c>, as DTR's payer statement lists them) alike.
/// </summary>
[Collection(DtrAppCollection.Name)]
public sealed class DtrAuthorizationTests(DtrAppFixture fixture)
{
    [Theory]
    [InlineData("/fhir/Questionnaire")]
    [InlineData("/fhir/Questionnaire/bvna-097")]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand")]
    [InlineData("/fhir/ValueSet/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level")]
    [InlineData("/fhir/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level")]
    public async Task Get_WithoutAToken_Returns401(string path)
    {
        using var anonymous = fixture.App.CreateClient();

        var reply = await FhirHttp.GetAsync(anonymous, path);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Theory]
    [InlineData(DecisionSteps.NextQuestion)]
    [InlineData("/fhir/$next-question")]
    public async Task NextQuestion_WithoutAToken_Returns401(string path)
    {
        using var anonymous = fixture.App.CreateClient();

        var reply = await FhirHttp.PostAsync(anonymous, path, CaseBuilder.ApprovableEsi().Build());

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Theory]
    [InlineData(PackageRequests.Path)]
    [InlineData("/fhir/$questionnaire-package")]
    public async Task Package_WithATokenForAnotherResourceType_Returns403(string path)
    {
        using var claimsOnly = fixture.App.CreateFhirClient("system/Claim.write");

        var reply = await FhirHttp.PostAsync(claimsOnly, path, PackageRequests.For(PackageRequests.Coverage("auth-1"), ("questionnaire", new Hl7.Fhir.Model.Canonical("https://spinepolicy.example.org/fhir/Questionnaire/esi-097"))));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }

    [Theory]
    [InlineData(DecisionSteps.NextQuestion)]
    [InlineData("/fhir/$next-question")]
    public async Task NextQuestion_WithATokenForAnotherResourceType_Returns403(string path)
    {
        using var claimsOnly = fixture.App.CreateFhirClient("system/Claim.write");

        var reply = await FhirHttp.PostAsync(claimsOnly, path, CaseBuilder.ApprovableEsi().Build());

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }

    [Theory]
    [InlineData("/fhir/ValueSet/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level")]
    [InlineData("/fhir/$expand?url=https://spinepolicy.example.org/fhir/ValueSet/vertebral-level")]
    public async Task Expand_WithATokenForAnotherResourceType_Returns403(string path)
    {
        using var claimsOnly = fixture.App.CreateFhirClient("system/Claim.write");

        var reply = await FhirHttp.GetAsync(claimsOnly, path);

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }

    [Theory]
    [InlineData(PackageRequests.Path)]
    [InlineData("/fhir/$questionnaire-package")]
    public async Task Package_WithQuestionnaireReadScope_IsServed(string path)
    {
        using var client = fixture.App.CreateFhirClient("system/Questionnaire.read");

        var reply = await FhirHttp.PostAsync(client, path, PackageRequests.For(PackageRequests.Coverage("auth-2"), ("questionnaire", new Hl7.Fhir.Model.Canonical("https://spinepolicy.example.org/fhir/Questionnaire/esi-097"))));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }
}
