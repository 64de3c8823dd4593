using System.Net;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Security;

namespace SpinePolicy.PriorAuthorization.Tests;

public sealed class RestartAndAccessTests
{
    [Fact]
    public async Task Inquire_AfterTheHostRestartsOnTheSameDatabase_FindsTheDecision()
    {
        string databasePath;
        var request = new PasRequestBuilder().Line("64628");
        string? authorization;
        using (var first = new PasHost())
        {
            request.WithAnswers(first.Fill(Answers.AllMet("bvna")));
            var submitted = await first.SubmitAsync(request.Build());
            Assert.Equal("A1", submitted.ActionOf(1));
            authorization = submitted.ClaimResponse.PreAuthRef;
            databasePath = first.DatabasePath;
        }

        using var second = new PasHost(new Dictionary<string, string?> { ["Storage:Sqlite:Path"] = databasePath });
        var inquiry = await second.InquireAsync(SubmitRecordTests.InquiryFor(request));

        Assert.Equal(HttpStatusCode.OK, inquiry.Status);
        Assert.Equal("A1", inquiry.ActionOf(1));
        Assert.Equal(authorization, inquiry.ClaimResponse.PreAuthRef);

        // And a resubmission after the restart is still recognised: nothing new is decided.
        var again = await second.SubmitAsync(request.Build());
        Assert.Equal(authorization, again.ClaimResponse.PreAuthRef);
    }

    [Fact]
    public async Task Submit_WithoutAToken_401()
    {
        using var host = new PasHost();
        using var anonymous = host.CreateClient("x");
        anonymous.DefaultRequestHeaders.Authorization = null;

        var answer = await PasHost.PostAsync(anonymous, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").Build());

        Assert.Equal(HttpStatusCode.Unauthorized, answer.Status);
    }

    [Fact]
    public async Task Submit_TokenWithoutClaimWriteScope_403()
    {
        using var host = new PasHost();
        using var client = host.CreateClient(TestTokens.MintFhirToken(["system/Patient.read"]));

        var answer = await PasHost.PostAsync(client, "/fhir/Claim/$submit", new PasRequestBuilder().Line("64628").Build());

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
    }

    [Fact]
    public async Task Submit_CoverageOfAnotherPayer_422AndNothingDecided()
    {
        using var host = new PasHost(new Dictionary<string, string?> { ["MemberCoverage:PayorIdentifiers:0"] = "Organization/our-plan" });

        var answer = await host.SubmitAsync(new PasRequestBuilder().Line("64628").Build());

        Assert.Equal((HttpStatusCode)422, answer.Status);
        Assert.Contains("not this payer", Assert.Single(answer.Outcome.Issue).Diagnostics, StringComparison.Ordinal);
    }
}
