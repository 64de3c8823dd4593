using System.Net;
using SpinePolicy.FhirQuestionnaire.Tests.Decisions;
using SpinePolicy.FhirQuestionnaire.Tests.Support;
using Task = System.Threading.Tasks.Task;

namespace SpinePolicy.FhirQuestionnaire.Tests.Operations;

/// <summary>The DTR endpoints require a FHIR access token with a scope for the resource type.</summary>
[Collection(DtrAppCollection.Name)]
public sealed class DtrAuthorizationTests(DtrAppFixture fixture)
{
    [Theory]
    [InlineData("/fhir/Questionnaire")]
    [InlineData("/fhir/Questionnaire/bvna-097")]
    [InlineData("/fhir/ValueSet/vertebral-level/$expand")]
    public async Task Get_WithoutAToken_Returns401(string path)
    {
        using var anonymous = fixture.App.CreateClient();

        var reply = await FhirHttp.GetAsync(anonymous, path);

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task NextQuestion_WithoutAToken_Returns401()
    {
        using var anonymous = fixture.App.CreateClient();

        var reply = await FhirHttp.PostAsync(anonymous, DecisionSteps.NextQuestion, CaseBuilder.ApprovableEsi().Build());

        Assert.Equal(HttpStatusCode.Unauthorized, reply.Status);
    }

    [Fact]
    public async Task Package_WithATokenForAnotherResourceType_Returns403()
    {
        using var claimsOnly = fixture.App.CreateFhirClient("system/Claim.write");

        var reply = await FhirHttp.PostAsync(claimsOnly, PackageRequests.Path, PackageRequests.For(PackageRequests.Coverage("auth-1"), ("questionnaire", new Hl7.Fhir.Model.Canonical("https://spinepolicy.example.org/fhir/Questionnaire/esi-097"))));

        Assert.Equal(HttpStatusCode.Forbidden, reply.Status);
    }

    [Fact]
    public async Task Package_WithQuestionnaireReadScope_IsServed()
    {
        using var client = fixture.App.CreateFhirClient("system/Questionnaire.read");

        var reply = await FhirHttp.PostAsync(client, PackageRequests.Path, PackageRequests.For(PackageRequests.Coverage("auth-2"), ("questionnaire", new Hl7.Fhir.Model.Canonical("https://spinepolicy.example.org/fhir/Questionnaire/esi-097"))));

        Assert.Equal(HttpStatusCode.OK, reply.Status);
    }
}
