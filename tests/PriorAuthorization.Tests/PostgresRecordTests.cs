using System.Net;
using SpinePolicy.PriorAuthorization.Tests.Support;
using SpinePolicy.TestKit.Postgres;

namespace SpinePolicy.PriorAuthorization.Tests;

/// <summary>The same record guarantees on PostgreSQL: one record for racing duplicates, inquiry finds it.</summary>
public sealed class PostgresRecordTests
{
    [Fact]
    public async Task Submit_IdenticalRequestsRacingOnPostgres_OneRecordThenInquiryFindsIt()
    {
        using var host = new PasHost(new Dictionary<string, string?>
        {
            ["Storage:Provider"] = "Postgres",
            ["Storage:Postgres:ConnectionString"] = await PostgresCluster.CreateSharedDatabaseAsync(),
        });
        var request = new PasRequestBuilder().Line("64628").WithAnswers(host.Fill(Answers.AllMet("bvna")));
        var bundle = request.Build();

        var answers = await System.Threading.Tasks.Task.WhenAll(Enumerable.Range(0, 6).Select(_ => host.SubmitAsync(bundle)));

        Assert.All(answers, a => Assert.Equal(HttpStatusCode.OK, a.Status));
        Assert.Single(answers.Select(a => a.ClaimResponse.Id).Distinct());
        Assert.Single(answers.Select(a => a.ClaimResponse.PreAuthRef).Distinct());
        var inquiry = await host.InquireAsync(SubmitRecordTests.InquiryFor(request));
        Assert.Equal(answers[0].ClaimResponse.Id, inquiry.ClaimResponse.Id);
        Assert.Equal("A1", inquiry.ActionOf(1));
    }
}
